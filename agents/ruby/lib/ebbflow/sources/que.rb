# frozen_string_literal: true

require "ebbflow/sources/sql"

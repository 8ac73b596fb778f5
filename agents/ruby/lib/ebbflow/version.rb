# frozen_string_literal: true

module Ebbflow
  VERSION = "0.1.0"
  PROTOCOL = 2
end

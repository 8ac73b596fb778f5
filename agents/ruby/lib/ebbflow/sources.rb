# frozen_string_literal: true

module Ebbflow
  # Job sources: each answers collect (queues), busy (this process), quiet, process_type.
  module Sources
    autoload :Sidekiq, "ebbflow/sources/sidekiq"
    autoload :Resque, "ebbflow/sources/resque"
    autoload :DelayedJob, "ebbflow/sources/delayed_job"
    autoload :GoodJob, "ebbflow/sources/good_job"
    autoload :SolidQueue, "ebbflow/sources/solid_queue"
    autoload :Que, "ebbflow/sources/que"
    autoload :SQL, "ebbflow/sources/sql"
  end
end

# frozen_string_literal: true

require_relative "lib/ebbflow/version"

Gem::Specification.new do |spec|
  spec.name = "ebbflow-agent"
  spec.version = Ebbflow::VERSION
  spec.summary = "Ebbflow agent: reports job queues and web request queue time, follows quiet instructions"
  spec.description = "Reports Sidekiq, Resque, Delayed Job, GoodJob, Solid Queue and Que queues and Rack request " \
                     "queue time to Ebbflow every 10 s, and quiets a dyno's workers when Ebbflow is about to stop it."
  spec.authors = ["Ebbflow"]
  spec.license = "MIT"
  spec.required_ruby_version = ">= 2.7"
  spec.files = Dir["lib/**/*.rb"] + ["README.md", "CHANGELOG.md"]
  spec.require_paths = ["lib"]
  spec.metadata["rubygems_mfa_required"] = "true"
end

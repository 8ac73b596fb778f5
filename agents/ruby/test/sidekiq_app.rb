# frozen_string_literal: true

# The app a real Sidekiq server runs in the tests: the agent installed at startup, as in an
# app's initializer, with a short interval.
$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
require "sidekiq"
Redis.silence_deprecations = true if defined?(Redis) && Redis.respond_to?(:silence_deprecations=)
require "ebbflow"
require "ebbflow/sources"

Sidekiq.configure_server do |config|
  config.on(:startup) do
    agent = Ebbflow.create_agent(ENV, interval: Float(ENV.fetch("TEST_INTERVAL", "0.2")), max_backoff: 2.0)
    Ebbflow::Sources::Sidekiq.install(agent: agent)
    agent.tick if ENV["TEST_TICK_AT_STARTUP"] # one answer now, as a regular cycle would bring
  end
end

# Waits for the test's gate file, then marks its output file.
class GateJob
  include Sidekiq::Worker

  def perform(gate, path)
    deadline = Time.now + 30
    sleep 0.05 until File.exist?(gate) || Time.now > deadline
    File.write(path, Process.pid.to_s)
  end
end

# Marks its output file.
class MarkJob
  include Sidekiq::Worker

  def perform(path)
    File.write(path, Process.pid.to_s)
  end
end

# Enqueues a MarkJob on another queue (a job enqueued by a job).
class ChainJob
  include Sidekiq::Worker

  def perform(queue, path)
    Sidekiq::Client.push("class" => MarkJob, "queue" => queue, "args" => [path])
  end
end

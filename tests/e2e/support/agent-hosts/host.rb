# frozen_string_literal: true

# A Ruby host app for the end-to-end agent test: the agent with a real Sidekiq queue (E2E_QUEUE,
# 4 waiting jobs) and web requests recorded every 100 ms. Runs until killed.
$LOAD_PATH.unshift File.expand_path("../../../../agents/ruby/lib", __dir__)
require "sidekiq"
require "sidekiq/api"
require "ebbflow"
require "ebbflow/sources"

Redis.silence_deprecations = true if Redis.respond_to?(:silence_deprecations=)
Sidekiq.configure_client { |config| config.redis = { url: ENV.fetch("REDIS_URL") } }
queue = ENV.fetch("E2E_QUEUE")
Sidekiq::Queue.new(queue).clear
4.times { |i| Sidekiq::Client.push("class" => "HostJob", "queue" => queue, "args" => [i]) }
agent = Ebbflow.create_agent(ENV, interval: 2.0, max_backoff: 2.0)
agent.use(Ebbflow::Sources::Sidekiq.new(process_type: "worker", queues: [queue]))
Signal.trap("TERM") do
  Thread.new do
    agent.stop
    Sidekiq::Queue.new(queue).clear
    exit 0
  end
end
$stdout.puts "host ready"
$stdout.flush
loop do
  agent.record_request(((Time.now.to_f * 1000) - 50).floor.to_s)
  sleep 0.1
end

# frozen_string_literal: true

require "json"

module Ebbflow
  module Sources
    # Resque through its Redis layout (the one Resque's own API reads): <ns>:queues (set),
    # <ns>:queue:<name> (list), <ns>:workers (set) and <ns>:worker:<id> (the job it is on).
    # Resque keeps no enqueue time, so latency is null. Quiet (inside a worker): USR2, Resque's
    # pause signal, to the worker process itself.
    class Resque
      def self.install(agent: Ebbflow.agent, **options)
        source = new(**options)
        agent.use(source)
        source
      end

      attr_reader :process_type

      def initialize(redis: nil, namespace: nil, process_type: nil, worker_pid: nil)
        if redis.nil? && defined?(::Resque)
          redis = ::Resque.redis.respond_to?(:redis) ? ::Resque.redis.redis : ::Resque.redis
          namespace ||= ::Resque.redis.respond_to?(:namespace) ? ::Resque.redis.namespace.to_s : "resque"
        end
        @redis = redis
        @namespace = namespace || "resque"
        @process_type = process_type
        @worker_pid = worker_pid
      end

      def collect
        working = Hash.new(0)
        @redis.smembers(key("workers")).each_slice(100) do |ids|
          @redis.mget(*ids.map { |id| key("worker:#{id}") }).compact.each do |raw|
            queue = (JSON.parse(raw)["queue"] rescue nil) # rubocop:disable Style/RescueModifier
            working[queue] += 1 if queue
          end
        end
        @redis.smembers(key("queues")).sort.map do |name|
          { name: name, depth: @redis.llen(key("queue:#{name}")), latency_ms: nil, busy: working[name] }
        end
      end

      def busy
        return 0 unless @worker_pid

        @redis.smembers(key("workers")).count do |id|
          id.split(":")[1].to_i == @worker_pid && @redis.exists?(key("worker:#{id}"))
        end
      end

      def quiet
        ::Process.kill("USR2", @worker_pid) if @worker_pid
      end

      private

      def key(suffix)
        "#{@namespace}:#{suffix}"
      end
    end
  end
end

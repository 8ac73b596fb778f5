# frozen_string_literal: true

require "socket"
require "sidekiq/api"

module Ebbflow
  module Sources
    # Sidekiq through Sidekiq's API: Queue#size, Queue#latency, Workers (busy per queue), this
    # process's entry in ProcessSet (busy), and Process#quiet! for the quiet instruction.
    #
    #   Sidekiq.configure_server { |config| config.on(:startup) { Ebbflow::Sources::Sidekiq.install } }
    #
    # install also adds the Wake client middleware in the server (jobs enqueued by jobs); web
    # dynos add it themselves:
    #
    #   Sidekiq.configure_client { |config| config.client_middleware { |chain| chain.add Ebbflow::Sources::Sidekiq::Wake } }
    class Sidekiq
      # Client middleware: after a job is pushed for now (not scheduled), tells the agent, which
      # reports at once if Ebbflow has that work's process type at zero (Agent#wake). Never raises.
      class Wake
        def initialize(agent = nil)
          @agent = agent
        end

        def call(_worker_class, job, _queue, _redis_pool = nil)
          result = yield
          begin
            (@agent || Ebbflow.agent).wake if result && !(job.is_a?(Hash) && job["at"])
          rescue StandardError
            nil
          end
          result
        end
      end

      def self.install(agent: Ebbflow.agent, process_type: nil, queues: nil, wake: true)
        source = new(process_type: process_type, queues: queues, server: true)
        agent.use(source)
        add_wake(agent) if wake && agent.enabled?
        source
      end

      # Adds Wake to Sidekiq's client middleware (in a server: the chain its jobs push through).
      def self.add_wake(agent = nil)
        config = ::Sidekiq.respond_to?(:default_configuration) ? ::Sidekiq.default_configuration : ::Sidekiq
        config.client_middleware { |chain| chain.add(Wake, agent) }
      end

      attr_reader :process_type

      def initialize(process_type: nil, queues: nil, server: false)
        @process_type = process_type
        @queues = queues
        @server = server
      end

      def collect
        working = Hash.new(0)
        ::Sidekiq::Workers.new.each do |_process, _thread, work|
          payload = work["payload"]
          queue = work["queue"] || (payload.is_a?(Hash) ? payload["queue"] : nil)
          working[queue] += 1 if queue
        end
        queues = @queues ? @queues.map { |name| ::Sidekiq::Queue.new(name) } : ::Sidekiq::Queue.all
        queues.map do |queue|
          { name: queue.name, depth: queue.size, latency_ms: (queue.latency * 1000).round, busy: working[queue.name] }
        end
      end

      def busy
        own_process&.[]("busy").to_i
      end

      def quiet
        return unless @server

        process = own_process
        if process
          process.quiet!
        else
          ::Process.kill("TSTP", ::Process.pid)
        end
      end

      private

      def own_process
        return nil unless @server

        host = ENV["DYNO"] || Socket.gethostname # Sidekiq names its process by DYNO on Heroku
        ::Sidekiq::ProcessSet.new(false).find { |p| p["pid"].to_i == ::Process.pid && p["hostname"] == host }
      end
    end
  end
end

# frozen_string_literal: true

require "socket"
require "sidekiq/api"

module Ebbflow
  module Sources
    # Sidekiq through Sidekiq's API: Queue#size, Queue#latency, Workers (busy per queue), this
    # process's entry in ProcessSet (busy), and Process#quiet! for the quiet instruction.
    #
    #   Sidekiq.configure_server { |config| config.on(:startup) { Ebbflow::Sources::Sidekiq.install } }
    class Sidekiq
      def self.install(agent: Ebbflow.agent, process_type: nil, queues: nil)
        source = new(process_type: process_type, queues: queues, server: true)
        agent.use(source)
        source
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

# frozen_string_literal: true

module Ebbflow
  module Sources
    # Delayed Job through its own model, Delayed::Job, with either backend: Active Record
    # (group queries) or Mongoid (one query per queue). Ready = not failed, not locked,
    # run_at reached; busy = locked and not failed. Delayed Job has no pause: quiet is a no-op
    # and Ebbflow drains the dyno with its shutdown signal.
    class DelayedJob
      def self.install(agent: Ebbflow.agent, **options)
        source = new(**options)
        agent.use(source)
        source
      end

      attr_reader :process_type

      def initialize(model: nil, process_type: nil)
        @model = model || ::Delayed::Job
        @process_type = process_type
      end

      def collect
        now = Time.now.utc
        active_record = defined?(::ActiveRecord::Base) && @model < ::ActiveRecord::Base
        active_record ? collect_active_record(now) : collect_mongoid(now)
      end

      def busy
        0
      end

      def quiet; end

      private

      def collect_active_record(now)
        ready = @model.where(failed_at: nil, locked_at: nil).where(@model.arel_table[:run_at].lteq(now))
        depth = ready.group(:queue).count
        oldest = ready.group(:queue).minimum(:run_at)
        running = @model.where(failed_at: nil).where.not(locked_at: nil).group(:queue).count
        (depth.keys | running.keys).map do |queue|
          { name: queue || "default", depth: depth[queue].to_i, latency_ms: age_ms(oldest[queue], now), busy: running[queue].to_i }
        end
      end

      def collect_mongoid(now)
        @model.distinct(:queue).map do |queue|
          ready = @model.where(queue: queue, failed_at: nil, locked_at: nil).lte(run_at: now)
          oldest = ready.min(:run_at)
          running = @model.where(queue: queue, failed_at: nil).ne(locked_at: nil).count
          { name: queue || "default", depth: ready.count, latency_ms: age_ms(oldest, now), busy: running }
        end
      end

      def age_ms(time, now)
        time ? [((now - time) * 1000).round, 0].max : nil
      end
    end
  end
end

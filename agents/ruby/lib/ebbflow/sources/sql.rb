# frozen_string_literal: true

require "time"

module Ebbflow
  module Sources
    # Shared by the SQL-backed libraries: runs a read through the app's Active Record pool and
    # turns a timestamp column into an age in ms.
    class SQL
      attr_reader :process_type

      def initialize(connection_pool: nil, process_type: nil)
        @pool = connection_pool
        @process_type = process_type
      end

      def busy
        0
      end

      def quiet; end

      private

      def rows(sql)
        pool = @pool || ::ActiveRecord::Base.connection_pool
        pool.with_connection { |connection| connection.select_all(sql).to_a }
      end

      # Timestamps without a zone are UTC (Rails' default); those with one carry their offset.
      def age_ms(value, now = Time.now.utc)
        return nil if value.nil?

        time = value.is_a?(Time) ? value : Time.parse(value =~ /[+-]\d\d(:?\d\d)?\z|Z\z/ ? value : "#{value} UTC")
        [((now - time) * 1000).round, 0].max
      end

      def reading(row, now)
        { name: row["queue"].to_s, depth: row["depth"].to_i, latency_ms: age_ms(row["oldest"], now),
          busy: row.key?("busy") ? row["busy"].to_i : nil }
      end
    end

    # GoodJob's good_jobs table: ready = unfinished, not started, scheduled time reached;
    # busy = started (performed_at) and unfinished. GoodJob has no per-process pause.
    class GoodJob < SQL
      QUERY = <<~SQL
        SELECT queue_name AS queue,
               count(*) FILTER (WHERE performed_at IS NULL AND COALESCE(scheduled_at, created_at) <= (now() AT TIME ZONE 'UTC')) AS depth,
               min(COALESCE(scheduled_at, created_at)) FILTER (WHERE performed_at IS NULL AND COALESCE(scheduled_at, created_at) <= (now() AT TIME ZONE 'UTC')) AS oldest,
               count(*) FILTER (WHERE performed_at IS NOT NULL) AS busy
          FROM good_jobs WHERE finished_at IS NULL GROUP BY queue_name ORDER BY queue_name
      SQL

      def collect
        now = Time.now.utc
        rows(QUERY).map { |row| reading(row, now) }
      end
    end

    # Solid Queue's tables: ready executions per queue (age from when they became ready),
    # claimed executions joined to their jobs for busy. Portable SQL (PostgreSQL, MySQL, SQLite).
    class SolidQueue < SQL
      READY = "SELECT queue_name AS queue, count(*) AS depth, min(created_at) AS oldest FROM solid_queue_ready_executions GROUP BY queue_name"
      CLAIMED = "SELECT j.queue_name AS queue, count(*) AS busy FROM solid_queue_claimed_executions c " \
                "JOIN solid_queue_jobs j ON j.id = c.job_id GROUP BY j.queue_name"

      def collect
        now = Time.now.utc
        busy = rows(CLAIMED).to_h { |row| [row["queue"], row["busy"].to_i] }
        ready = rows(READY).to_h { |row| [row["queue"], row] }
        (ready.keys | busy.keys).sort.map do |queue|
          row = ready[queue] || { "queue" => queue, "depth" => 0, "oldest" => nil }
          reading(row, now).merge(busy: busy[queue].to_i)
        end
      end
    end

    # Que's que_jobs table (Que 1.x and 2.x): ready = not finished, not expired, run_at reached.
    # Running jobs are held by advisory locks only, so busy is null.
    class Que < SQL
      QUERY = <<~SQL
        SELECT queue, count(*) AS depth, min(run_at) AS oldest
          FROM que_jobs WHERE finished_at IS NULL AND expired_at IS NULL AND run_at <= now()
         GROUP BY queue ORDER BY queue
      SQL

      def collect
        now = Time.now.utc
        rows(QUERY).map { |row| reading(row, now) }
      end
    end
  end
end

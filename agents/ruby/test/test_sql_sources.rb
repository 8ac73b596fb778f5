# frozen_string_literal: true

require_relative "test_helper"
require "pg"
require "active_record"
require "delayed_job"
require "delayed_job_active_record"

DB_NAME = ENV.fetch("EBBFLOW_RUBY_TEST_DB", "ebbflow_test_agents_ruby")
PG_URL = ENV.fetch("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

# Delayed Job (Debian's ruby-delayed-job + ruby-delayed-job-active-record, real Active Record on
# the real PostgreSQL), and the table layouts of GoodJob, Solid Queue and Que (not packaged by
# Debian: created here from their schema, as the libraries' migrations create them).
class SQLSourcesTest < Minitest::Test
  # A job payload for Delayed Job.
  class NoopJob
    def perform; end
  end

  def self.prepare
    return if @prepared

    admin = PG.connect(PG_URL)
    admin.exec("CREATE DATABASE #{DB_NAME}") if admin.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME]).ntuples.zero?
    admin.close
    ActiveRecord::Base.logger = nil
    ActiveRecord::Base.establish_connection(PG_URL.sub(%r{/postgres\z}, "/#{DB_NAME}"))
    @prepared = true
  end

  def setup
    self.class.prepare
    @c = ActiveRecord::Base.connection
    @c.execute(File.read(File.join(__dir__, "fixtures", "tables.sql")))
  end

  def test_delayed_job_active_record
    2.times { Delayed::Job.enqueue(NoopJob.new, queue: "mail", run_at: Time.now - 4) }
    Delayed::Job.enqueue(NoopJob.new, queue: "mail", run_at: Time.now + 3600)
    Delayed::Job.enqueue(NoopJob.new, queue: "reports")
    Delayed::Job.where(queue: "reports").update_all(locked_at: Time.now, locked_by: "host:worker.1")
    readings = Ebbflow::Sources::DelayedJob.new.collect.sort_by { |r| r[:name] }
    mail, reports = readings
    assert_equal "mail", mail[:name]
    assert_equal 2, mail[:depth]
    assert_operator mail[:latency_ms], :>=, 4000
    assert_equal 0, mail[:busy]
    assert_equal({ name: "reports", depth: 0, latency_ms: nil, busy: 1 }, reports)
  end

  def test_good_job_layout
    @c.execute(<<~SQL)
      INSERT INTO good_jobs (queue_name, scheduled_at, performed_at, finished_at, created_at, updated_at) VALUES
        ('default', (now() AT TIME ZONE 'UTC') - interval '5 seconds', NULL, NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'),
        ('default', NULL, NULL, NULL, (now() AT TIME ZONE 'UTC') - interval '1 second', now() AT TIME ZONE 'UTC'),
        ('default', (now() AT TIME ZONE 'UTC') + interval '1 hour', NULL, NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'),
        ('default', NULL, now() AT TIME ZONE 'UTC', NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'),
        ('default', NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    SQL
    reading = Ebbflow::Sources::GoodJob.new.collect.first
    assert_equal "default", reading[:name]
    assert_equal 2, reading[:depth]
    assert_in_delta 5000, reading[:latency_ms], 1500
    assert_equal 1, reading[:busy]
  end

  def test_solid_queue_layout
    @c.execute(<<~SQL)
      INSERT INTO solid_queue_jobs (id, queue_name, class_name, created_at, updated_at) VALUES
        (1, 'default', 'A', now(), now()), (2, 'default', 'A', now(), now()), (3, 'default', 'A', now(), now()), (4, 'low', 'B', now(), now());
      INSERT INTO solid_queue_ready_executions (job_id, queue_name, created_at) VALUES
        (1, 'default', (now() AT TIME ZONE 'UTC') - interval '7 seconds'), (2, 'default', now() AT TIME ZONE 'UTC');
      INSERT INTO solid_queue_claimed_executions (job_id, process_id, created_at) VALUES (3, 1, now()), (4, 1, now());
    SQL
    default, low = Ebbflow::Sources::SolidQueue.new.collect
    assert_equal "default", default[:name]
    assert_equal 2, default[:depth]
    assert_in_delta 7000, default[:latency_ms], 1500
    assert_equal 1, default[:busy]
    assert_equal({ name: "low", depth: 0, latency_ms: nil, busy: 1 }, low)
  end

  def test_que_layout
    @c.execute(<<~SQL)
      INSERT INTO que_jobs (job_class, queue, run_at, job_schema_version) VALUES
        ('A', 'default', now() - interval '3 seconds', 2), ('A', 'default', now(), 2), ('A', 'default', now() + interval '1 hour', 2);
      INSERT INTO que_jobs (job_class, queue, run_at, job_schema_version, finished_at) VALUES ('A', 'default', now() - interval '1 hour', 2, now());
    SQL
    reading = Ebbflow::Sources::Que.new.collect.first
    assert_equal "default", reading[:name]
    assert_equal 2, reading[:depth]
    assert_in_delta 3000, reading[:latency_ms], 1500
    assert_nil reading[:busy]
  end
end

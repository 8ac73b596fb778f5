# frozen_string_literal: true

require_relative "test_helper"

# The enqueue wake: Agent#wake reports at once while Ebbflow's last answer says a process type is
# at zero, at most once per gap, off the caller's thread, and the regular interval restarts.
# The quiet wake: an answer that quiets this dyno is followed at once by a report saying so.
class WakeTest < Minitest::Test
  def setup
    @fake = FakeEbbflow.new
  end

  def teardown
    @agent&.stop
    @fake.stop
  end

  # An agent with a long interval that has had one answer (the one a regular cycle brings).
  def answered_agent(scaled_to_zero, busy: 0, **options)
    @fake.scaled_to_zero = scaled_to_zero
    @agent = Ebbflow.create_agent({ "EBBFLOW_URL" => @fake.url, "DYNO" => "web.1" }, logger: SILENT, interval: 30, **options)
    @source = FakeSource.new(queues: [{ name: "default", latency_ms: 0, busy: 0 }], busy: busy, process_type: "worker")
    @agent.use(@source)
    @agent.tick
    assert_equal 1, @fake.reports_snapshot.size
    @agent
  end

  def test_wake_reports_at_once_when_at_zero
    agent = answered_agent(true)
    assert_equal({ "worker" => true }, agent.scaled_to_zero)
    started = Time.now
    assert agent.wake
    assert_operator Time.now - started, :<, 0.05, "wake returns at once"
    assert_equal 1, @fake.reports_snapshot.size, "the report is sent from the reporter thread, not the caller's"
    wait_for(2) { @fake.reports_snapshot.size == 2 }
    assert_operator Time.now - started, :<, 2
    assert_equal "worker", @fake.reports_snapshot.last["process_type"]
  end

  def test_no_early_report_unless_at_zero
    [false, nil].each do |answer|
      agent = answered_agent(answer)
      assert_equal({ "worker" => false }, agent.scaled_to_zero)
      refute agent.wake
      sleep 1.5
      assert_equal 1, @fake.reports_snapshot.size, "no early report after scaled_to_zero: #{answer.inspect}"
      agent.stop
      @fake.reports.clear
    end
    # The last answer counts: at zero, then not.
    agent = answered_agent(true)
    @fake.scaled_to_zero = false
    agent.tick
    assert_equal({ "worker" => false }, agent.scaled_to_zero)
    refute agent.wake
    sleep 1.5
    assert_equal 2, @fake.reports_snapshot.size
  end

  def test_wakes_within_gap_report_once
    assert_equal 5.0, Ebbflow::Agent::WAKE_GAP_SECONDS
    assert_equal 5.0, Ebbflow::Config.read({ "EBBFLOW_URL" => @fake.url })[:wake_gap]
    agent = answered_agent(true, wake_gap: 1.5)
    first = Time.now
    assert agent.wake
    refute agent.wake
    wait_for(2) { @fake.reports_snapshot.size == 2 }
    refute agent.wake
    sleep 1.0
    assert_equal 2, @fake.reports_snapshot.size, "two wakes within the gap: one early report"
    sleep 0.1 until Time.now - first > 1.6
    assert agent.wake, "acts again once the gap has passed"
    wait_for(2) { @fake.reports_snapshot.size == 3 }
  end

  def test_wake_restarts_interval
    @fake.scaled_to_zero = true
    @agent = Ebbflow.create_agent({ "EBBFLOW_URL" => @fake.url, "DYNO" => "worker.1" }, logger: SILENT, interval: 2.0)
    @agent.use(FakeSource.new(queues: [{ name: "default", latency_ms: 0, busy: 0 }]))
    wait_for(5, 0.01) { @fake.reports_snapshot.size == 1 }
    sleep 1.0
    assert @agent.wake
    wait_for(2, 0.01) { @fake.reports_snapshot.size == 2 }
    woken_at = Time.now
    wait_for(5, 0.01) { @fake.reports_snapshot.size == 3 }
    assert_operator Time.now - woken_at, :>=, 1.7, "the next regular report comes a whole interval after the early one"
  end

  def test_wake_after_fork_starts_reporter
    agent = answered_agent(true)
    pid = fork do
      agent.wake
      sleep 3
      exit!(0)
    end
    wait_for(2) { @fake.reports_snapshot.size == 2 }
  ensure
    Process.wait(pid) if pid
  end

  def test_wake_disabled_or_stopped
    disabled = Ebbflow.create_agent({})
    refute disabled.wake
    assert_nil disabled.thread
    agent = answered_agent(true)
    agent.stop
    refute agent.wake
    sleep 0.5
    assert_equal 1, @fake.reports_snapshot.size
  end

  def test_quiet_reports_at_once
    @fake.quiet = ["web.1"]
    started = Time.now
    agent = answered_agent(false, busy: 2)
    assert_equal [{ "name" => "web.1", "quiet" => false, "busy" => 2 }], @fake.reports_snapshot.first["dynos"]
    assert agent.quiet?
    assert_equal 1, @source.quieted
    wait_for(2) { @fake.reports_snapshot.size == 2 }
    assert_operator Time.now - started, :<, 2, "the quiet report comes at once, not a 30 s window later"
    assert_equal [{ "name" => "web.1", "quiet" => true, "busy" => 2 }], @fake.reports_snapshot.last["dynos"]
    sleep 1.5
    assert_equal 2, @fake.reports_snapshot.size, "once per quiet: the same instruction again brings no early report"
    assert_equal 1, @source.quieted
  end

  def test_no_quiet_report_without_own_instruction
    [[], ["web.2"]].each do |names|
      @fake.quiet = names
      agent = answered_agent(false)
      refute agent.quiet?
      sleep 1.5
      assert_equal 1, @fake.reports_snapshot.size, "no early report after instructions.quiet: #{names.inspect}"
      assert_equal 0, @source.quieted
      agent.stop
      @fake.reports.clear
    end
  end

  def test_quiet_report_follows_reporter_cycle
    agent = answered_agent(true)
    @fake.quiet = ["web.1"]
    started = Time.now
    assert agent.wake
    wait_for(3) { @fake.reports_snapshot.size == 3 }
    assert_operator Time.now - started, :<, 3, "the quiet report is not held back by the 5 s wake gap"
    reports = @fake.reports_snapshot
    assert_equal [false, true], reports.last(2).map { |report| report["dynos"][0]["quiet"] }
    refute agent.wake, "the quiet report does not use up or reset the enqueue wake's gap"
    sleep 1.0
    assert_equal 3, @fake.reports_snapshot.size
  end

  def test_quiet_report_restarts_interval
    @fake.quiet = ["worker.1"]
    @agent = Ebbflow.create_agent({ "EBBFLOW_URL" => @fake.url, "DYNO" => "worker.1" }, logger: SILENT, interval: 2.0)
    @agent.use(FakeSource.new(queues: [{ name: "default", latency_ms: 0, busy: 0 }]))
    started = Time.now
    wait_for(5, 0.01) { @fake.reports_snapshot.size >= 2 }
    early_at = Time.now
    assert_operator early_at - started, :<, 3, "the quiet report comes right after the first regular one (at 2 s)"
    assert_equal [false, true], @fake.reports_snapshot.map { |report| report["dynos"][0]["quiet"] }
    wait_for(5, 0.01) { @fake.reports_snapshot.size == 3 }
    assert_operator Time.now - early_at, :>=, 1.7, "the next regular report comes a whole interval after the early one"
  end
end

# frozen_string_literal: true

require_relative "test_helper"
require "rack"
require "rack/mock"
require "securerandom"
require "tmpdir"
require "sidekiq"
require "sidekiq/api"
require_relative "sidekiq_app"

# Killing Ebbflow mid-run: Rack requests and jobs run by a real Sidekiq server lose nothing,
# and reports resume when Ebbflow returns.
class OutageTest < Minitest::Test
  def test_kill_ebbflow_mid_run
    Sidekiq.configure_client { |config| config.redis = { url: REDIS_URL } }
    fake = FakeEbbflow.new
    agent = Ebbflow.create_agent({ "EBBFLOW_URL" => fake.url, "DYNO" => "web.1" }, interval: 0.1, max_backoff: 2.0, logger: SILENT)
    app = Rack::Builder.new do
      use Ebbflow::Middleware, agent
      run ->(_env) { [200, {}, ["ok"]] }
    end
    request = Rack::MockRequest.new(app)
    queue = "ebbflow-test-#{SecureRandom.hex(4)}"
    dir = Dir.mktmpdir
    env = { "EBBFLOW_URL" => fake.url, "DYNO" => "worker.1", "REDIS_URL" => REDIS_URL }
    pid = Process.spawn(env, "sidekiq", "-r", File.join(__dir__, "sidekiq_app.rb"), "-q", queue, "-c", "4", out: File::NULL, err: File::NULL)
    statuses = []
    marks = []
    drive = lambda do |count|
      count.times do
        statuses << request.get("/", "HTTP_X_REQUEST_START" => (Time.now.to_f * 1000).floor.to_s).status
        marks << File.join(dir, "job-#{marks.size}")
        Sidekiq::Client.push("class" => MarkJob, "queue" => queue, "args" => [marks.last])
      end
    end
    begin
      drive.call(20)
      wait_for(40) { fake.reports_snapshot.map { |r| r["process_type"] }.uniq.sort == %w[web worker] }
      fake.stop
      before = fake.reports.size
      drive.call(40)
      sleep 0.5
      assert_operator agent.failures, :>=, 1
      assert_equal before, fake.reports.size
      fake.start
      drive.call(20)
      wait_for(60) { marks.all? { |path| File.exist?(path) } }
      wait_for(30) { fake.reports_snapshot.drop(before).map { |r| r["process_type"] }.uniq.sort == %w[web worker] }
      assert_equal [200] * 80, statuses, "every host-app request answered"
    ensure
      agent.stop
      Process.kill("TERM", pid)
      Process.wait(pid)
      Sidekiq::Queue.new(queue).clear
      fake.stop rescue nil # rubocop:disable Style/RescueModifier
    end
  end
end

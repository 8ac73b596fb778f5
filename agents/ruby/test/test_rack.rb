# frozen_string_literal: true

require_relative "test_helper"
require "rack"
require "rack/mock"

# The Rack middleware in a real Rack stack and a real Sinatra app.
class RackTest < Minitest::Test
  def setup
    @fake = FakeEbbflow.new
    @agent = Ebbflow.create_agent({ "EBBFLOW_URL" => @fake.url, "DYNO" => "web.1" }, interval: 3600)
  end

  def teardown
    @agent.stop
    @fake.stop
  end

  def start_header(ms_ago)
    ((Time.now.to_f * 1000) - ms_ago).floor.to_s
  end

  def window
    report = @agent.collect.first
    assert_equal "web", report[:process_type]
    report[:web]
  end

  def test_rack_builder_with_puma_body_wait
    agent = @agent
    app = Rack::Builder.new do
      use Ebbflow::Middleware, agent
      run ->(_env) { [200, { "content-type" => "text/plain" }, ["ok"]] }
    end
    request = Rack::MockRequest.new(app)
    3.times { assert_equal 200, request.get("/", "HTTP_X_REQUEST_START" => start_header(300)).status }
    # Puma's body wait is taken off: 300 ms queued of which 250 ms reading the body.
    3.times { assert_equal 200, request.get("/", "HTTP_X_REQUEST_START" => start_header(300), "puma.request_body_wait" => 250).status }
    assert_equal 200, request.get("/").status
    web = window
    assert_equal 6, web[:requests]
    assert_operator web[:queue_time_ms][:p50], :>=, 50
    assert_operator web[:queue_time_ms][:p50], :<, 250
    assert_operator web[:queue_time_ms][:p99], :>=, 300
  end

  def test_sinatra
    require "sinatra/base"
    agent = @agent
    app = Class.new(Sinatra::Base) do
      use Ebbflow::Middleware, agent
      get("/") { "ok" }
    end
    request = Rack::MockRequest.new(app)
    4.times { assert_equal 200, request.get("/", "HTTP_X_REQUEST_START" => "t=#{format('%.3f', Time.now.to_f - 0.2)}").status }
    web = window
    assert_equal 4, web[:requests]
    assert_operator web[:queue_time_ms][:p50], :>=, 199
  end
end

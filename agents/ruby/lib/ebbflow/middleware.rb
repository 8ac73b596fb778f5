# frozen_string_literal: true

module Ebbflow
  # Rack middleware (Rails: config.middleware.insert_before 0, Ebbflow::Middleware; Sinatra:
  # use Ebbflow::Middleware). Records now − X-Request-Start − puma.request_body_wait.
  class Middleware
    def initialize(app, agent = nil)
      @app = app
      @agent = agent || Ebbflow.agent
    end

    def call(env)
      @agent.record_request(env["HTTP_X_REQUEST_START"], env["puma.request_body_wait"] || 0) if @agent.enabled?
      @app.call(env)
    end
  end
end

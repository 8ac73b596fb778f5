# frozen_string_literal: true

require "ebbflow/version"
require "ebbflow/config"
require "ebbflow/web_stats"
require "ebbflow/agent"
require "ebbflow/middleware"

# Ebbflow agent: reports job queues and web request queue time to Ebbflow (docs/AGENT_PROTOCOL.md).
module Ebbflow
  @mutex = Mutex.new

  # The process's one agent, configured from EBBFLOW_URL and DYNO (disabled when unset).
  def self.agent
    @mutex.synchronize { @agent ||= Agent.new(Config.read) }
  end

  def self.create_agent(env = ENV, logger: nil, **options)
    Agent.new(Config.read(env, **options), logger: logger)
  end

  autoload :Sources, "ebbflow/sources"
end

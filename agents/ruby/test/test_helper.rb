# frozen_string_literal: true

$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
$LOAD_PATH.unshift __dir__
require "logger"
require "minitest/autorun"
require "ebbflow"
require "ebbflow/sources"
require "fake_ebbflow"

SILENT = Logger.new(File::NULL)
REDIS_URL = ENV.fetch("REDIS_URL", "redis://127.0.0.1:6379/5")

# A job source the core tests control.
class FakeSource
  attr_reader :process_type, :quieted, :calls

  def initialize(queues: [], busy: 0, process_type: nil, fail: false)
    @queues = queues
    @busy = busy
    @process_type = process_type
    @fail = fail
    @quieted = 0
    @calls = 0
  end

  def collect
    @calls += 1
    raise "redis down" if @fail

    @queues.map { |q| q.merge(depth: q[:depth] || @calls) }
  end

  def busy
    @busy
  end

  def quiet
    @quieted += 1
  end
end

# frozen_string_literal: true

module Ebbflow
  # X-Request-Start (Heroku: ms since the epoch; nginx: t=<s>.<frac>) and one window of queue times.
  module RequestStart
    module_function

    def parse(value)
      return nil if value.nil? || value.empty?

      value = value[2..] if value.start_with?("t=")
      number = Float(value, exception: false)
      return nil if number.nil? || !number.finite? || number <= 0
      return number * 1000.0 if number < 1e11
      return number if number < 1e14
      return number / 1000.0 if number < 1e17

      number / 1e6
    end

    # now − X-Request-Start − body wait, clamped at 0; nil when the header is unreadable.
    def queue_time_ms(header, now_ms = nil, body_wait_ms = 0)
      start = parse(header)
      return nil unless start

      now_ms ||= Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)
      [now_ms - start - [body_wait_ms.to_f, 0.0].max, 0.0].max
    end
  end

  # Bounded (reservoir sampling past capacity), thread-safe window of samples.
  class WebStats
    def initialize(capacity = 10_000)
      @capacity = capacity
      @samples = []
      @count = 0
      @started_at = Time.now.to_f
      @lock = Mutex.new
    end

    attr_reader :started_at

    def record(ms)
      @lock.synchronize do
        seen = @count
        @count += 1
        if seen < @capacity
          @samples << ms
        else
          slot = rand(seen + 1)
          @samples[slot] = ms if slot < @capacity
        end
      end
    end

    def take(now = Time.now.to_f)
      samples, requests, started = @lock.synchronize do
        taken = [@samples, @count, @started_at]
        @samples = []
        @count = 0
        @started_at = now
        taken
      end
      summary = { window_seconds: (now - started).round.clamp(1, 3600), requests: requests }
      unless samples.empty?
        samples.sort!
        n = samples.size
        at = ->(p) { samples[[[((p * n) / 100.0).ceil - 1, 0].max, n - 1].min].clamp(0, 3_600_000).round(2) }
        summary[:queue_time_ms] = { p50: at.call(50), p95: at.call(95), p99: at.call(99) }
      end
      summary
    end
  end
end

# frozen_string_literal: true

require "json"
require "net/http"
require "logger"
require "ebbflow/version"
require "ebbflow/config"
require "ebbflow/web_stats"

module Ebbflow
  # One background thread per process that, every 10 s, reads each job source through its
  # library's API, adds the window's web queue times, and POSTs one report per process type.
  # Failed reports wait in a bounded buffer (oldest dropped first) and are retried with
  # exponential backoff and jitter. Nothing here raises into the host app.
  #
  # The enqueue wake: #wake ("a job was just enqueued") makes the reporter run one cycle now when
  # Ebbflow's last answer for some process type said it is scaled to zero, at most once per
  # wake_gap seconds; the regular interval restarts from that cycle. Quieting on Ebbflow's
  # instruction wakes it the same way, once (quiet is one-way), with no gap and no zero condition,
  # so that Ebbflow hears quiet and the busy count right after the cycle that brought the answer.
  class Agent
    RETRYABLE = ->(code) { code == 429 || code >= 500 }
    WAKE_GAP_SECONDS = Config::WAKE_GAP_SECONDS

    attr_reader :config, :buffer, :dropped, :failures, :sources, :sent, :scaled_to_zero

    def initialize(config, logger: nil)
      @config = config
      @logger = logger || Logger.new($stderr)
      @sources = []
      @web = WebStats.new
      @web_seen = false
      @buffer = []
      @dropped = 0
      @failures = 0
      @next_attempt_at = 0.0
      @quiet = false
      @sent = 0
      @last_warn_at = 0.0
      @lock = Mutex.new
      @thread = nil
      @pid = nil
      @stopping = false
      @scaled_to_zero = {}.freeze # process type => last answered scaled_to_zero (replaced, never mutated)
      @wake_armed = false
      @last_wake_at = -Float::INFINITY
      @wake_pending = false # false, or why the next cycle runs now: :enqueue, :quiet
      @wake_lock = Mutex.new
      @wake_signal = ConditionVariable.new
      @cycle_lock = Mutex.new
    end

    def enabled?
      !@config.nil?
    end

    def quiet?
      @quiet
    end

    def thread
      @thread
    end

    def use(source)
      return self unless enabled?

      @lock.synchronize { @sources << source }
      start
      self
    end

    def record_request(request_start, body_wait_ms = 0)
      return unless enabled?

      ms = RequestStart.queue_time_ms(request_start, nil, body_wait_ms)
      unless @web_seen && @pid == Process.pid
        @web_seen = true
        start
      end
      @web.record(ms) if ms
    rescue StandardError => e
      warn_limited("could not record a request", e)
    end

    # A job was just enqueued. Cheap, never raises, does no I/O here: when some process type is
    # at zero and the last acted-on wake is wake_gap seconds old, the reporter thread (started
    # if there is none, e.g. after a fork) runs one cycle now. Returns true when it acted.
    def wake
      return false unless @wake_armed && enabled? && !@stopping

      now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      @wake_lock.synchronize do
        return false if now - @last_wake_at < @config[:wake_gap]

        @last_wake_at = now
        @wake_pending = :enqueue
        @wake_signal.signal
      end
      start
      true
    rescue StandardError => e
      warn_limited("could not wake the reporter", e)
      false
    end

    def start
      return if !enabled? || @stopping

      @lock.synchronize do
        # After a fork (Puma workers, Resque children) the thread is gone: start one here.
        return if @thread&.alive? && @pid == Process.pid

        @pid = Process.pid
        @thread = Thread.new { run }
        @thread.name = "ebbflow-reporter" if @thread.respond_to?(:name=)
      end
    end

    def stop(flush: false)
      @stopping = true
      begin
        @wake_lock.synchronize { @wake_signal.signal }
      rescue ThreadError # called from a trap handler, where a Mutex cannot be waited for
        @wake_signal.signal
      end
      @thread&.join(enabled? ? @config[:timeout] + 1 : 1)
      return unless flush && enabled? && @cycle_lock.try_lock # a cycle still running flushes itself

      begin
        flush!(force: true)
      ensure
        @cycle_lock.unlock
      end
    end

    # One report cycle: collect, then send. Never two at once.
    def tick
      @cycle_lock.synchronize do
        collect.each { |report| enqueue(report) }
        flush!
      end
    end

    def collect
      reports = {}
      report_for = lambda do |type|
        reports[type] ||= { protocol: PROTOCOL, process_type: type, queues: [], dynos: [] }
      end
      busy = 0
      @lock.synchronize { @sources.dup }.each do |source|
        queues = source.collect
        report_for.call(source.process_type || @config[:process_type])[:queues].concat(queues)
        busy += source.busy.to_i
      rescue StandardError => e
        warn_limited("could not read a job source", e)
      end
      report_for.call(@config[:process_type])[:web] = @web.take if @web_seen
      reports.each_value do |report|
        report[:queues] = report[:queues].first(200)
        report[:dynos] << { name: @config[:dyno], quiet: @quiet, busy: busy }
      end
      reports.values
    end

    def enqueue(report)
      @buffer << report
      while @buffer.size > @config[:max_buffered]
        @buffer.shift
        @dropped += 1
      end
    end

    def flush!(force: false)
      return if !force && Time.now.to_f < @next_attempt_at

      until @buffer.empty?
        report = @buffer.first
        kind, detail = deliver(report)
        if kind == :retry
          @failures += 1
          backoff = [@config[:max_backoff], @config[:interval] * (2**@failures)].min * (0.5 + (rand / 2))
          @next_attempt_at = Time.now.to_f + [backoff, detail.to_f].max
          return
        end
        @buffer.shift
        @failures = 0
        @next_attempt_at = 0.0
        next unless kind == :ok

        @sent += 1
        remember_zero(report[:process_type], detail)
        follow(detail)
      end
    end

    # Keeps the answer's scaled_to_zero for the report's process type (missing means false).
    def remember_zero(process_type, body)
      at_zero = body.is_a?(Hash) && body["scaled_to_zero"] == true
      return if @scaled_to_zero[process_type] == at_zero

      @scaled_to_zero = @scaled_to_zero.merge(process_type => at_zero).freeze
      @wake_armed = @scaled_to_zero.value?(true)
    end

    def deliver(report)
      uri = @config[:endpoint]
      request = Net::HTTP::Post.new(uri, "Content-Type" => "application/json", "User-Agent" => "ebbflow-ruby/#{VERSION}",
                                         "Authorization" => "Bearer #{@config[:token]}")
      request.body = JSON.generate(report)
      response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https", open_timeout: @config[:timeout],
                                                     read_timeout: @config[:timeout], write_timeout: @config[:timeout]) do |http|
        http.request(request)
      end
      code = response.code.to_i
      if RETRYABLE.call(code)
        warn_limited("Ebbflow answered #{code}; will retry")
        return [:retry, response["Retry-After"].to_f]
      end
      if code >= 400
        warn_limited("Ebbflow refused a report (#{code})")
        return [:dropped, nil]
      end
      [:ok, (JSON.parse(response.body) rescue nil)] # rubocop:disable Style/RescueModifier
    rescue StandardError, Timeout::Error => e
      warn_limited("could not reach Ebbflow; will retry", e)
      [:retry, 0]
    end

    def follow(body)
      names = body.is_a?(Hash) && body["instructions"].is_a?(Hash) ? Array(body["instructions"]["quiet"]) : []
      return if @quiet || !names.include?(@config[:dyno])

      @quiet = true
      @sources.each do |source|
        source.quiet
      rescue StandardError => e
        warn_limited("could not quiet a job source", e)
      end
      report_quiet_now
    end

    def warn_limited(message, error = nil)
      now = Time.now.to_f
      return if now - @last_warn_at < 60

      @last_warn_at = now
      @logger.warn("[ebbflow] #{message}#{error ? ": #{error.message}" : ""}")
    end

    private

    # Just quieted: the reporter runs one cycle as soon as the current one ends (cycles never
    # overlap), so Ebbflow hears quiet and the busy count now rather than a window later.
    def report_quiet_now
      return if @stopping # a flush on stop, perhaps from a trap handler: no cycle follows

      @wake_lock.synchronize do
        @wake_pending ||= :quiet
        @wake_signal.signal
      end
      start
    rescue StandardError => e
      warn_limited("could not wake the reporter", e)
    end

    def run
      until @stopping
        wait_for_cycle
        break if @stopping

        begin
          tick
        rescue StandardError => e
          warn_limited("report cycle failed", e)
        end
      end
    end

    # Waits out the interval, or less when a wake asks for a cycle now; then, for an enqueue wake,
    # gives the job that woke it wake_settle seconds to land before the queues are read.
    def wait_for_cycle
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + @config[:interval]
      woken = @wake_lock.synchronize do
        until @stopping || @wake_pending
          left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
          break if left <= 0

          @wake_signal.wait(@wake_lock, left)
        end
        pending = @wake_pending
        @wake_pending = false
        pending
      end
      sleep(@config[:wake_settle]) if woken == :enqueue && !@stopping
    end
  end
end

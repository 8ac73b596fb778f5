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
  class Agent
    RETRYABLE = ->(code) { code == 429 || code >= 500 }

    attr_reader :config, :buffer, :dropped, :failures, :sources, :sent

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
      @thread&.wakeup rescue nil # rubocop:disable Style/RescueModifier
      @thread&.join(enabled? ? @config[:timeout] + 1 : 1)
      flush!(force: true) if flush && enabled?
    end

    def tick
      collect.each { |report| enqueue(report) }
      flush!
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
        kind, detail = deliver(@buffer.first)
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
        follow(detail)
      end
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
    end

    def warn_limited(message, error = nil)
      now = Time.now.to_f
      return if now - @last_warn_at < 60

      @last_warn_at = now
      @logger.warn("[ebbflow] #{message}#{error ? ": #{error.message}" : ""}")
    end

    private

    def run
      until @stopping
        sleep(@config[:interval])
        break if @stopping

        begin
          tick
        rescue StandardError => e
          warn_limited("report cycle failed", e)
        end
      end
    end
  end
end

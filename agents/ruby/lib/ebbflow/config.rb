# frozen_string_literal: true

require "uri"

module Ebbflow
  # EBBFLOW_URL and DYNO → settings, or nil (agent disabled) when EBBFLOW_URL is unset.
  module Config
    # The enqueue wake acts at most once per this many seconds.
    WAKE_GAP_SECONDS = 5.0
    # A woken reporter waits this long before reading the queues, so the job whose enqueue
    # woke it has landed (Sidekiq runs client middleware before its push).
    WAKE_SETTLE_SECONDS = 0.1

    module_function

    def read(env = ENV, **options)
      raw = options[:url] || env["EBBFLOW_URL"]
      return nil if raw.nil? || raw.empty?

      uri = URI.parse(raw)
      return nil unless uri.is_a?(URI::HTTP) && uri.host

      token = URI.decode_www_form_component(uri.password || uri.user || "")
      base = URI::Generic.build(scheme: uri.scheme, host: uri.host, port: uri.port, path: uri.path.to_s.sub(%r{/+\z}, ""))
      dyno = options[:dyno] || env["DYNO"] || "local.1"
      dyno_type = dyno.include?(".") ? dyno[0...dyno.rindex(".")] : dyno
      {
        endpoint: URI("#{base}/api/v1/reports"),
        token: token,
        dyno: dyno,
        process_type: options[:process_type] || (env["DYNO"] ? dyno_type : "worker"),
        interval: options.fetch(:interval, 10.0),
        timeout: options.fetch(:timeout, 5.0),
        max_buffered: options.fetch(:max_buffered, 60),
        max_backoff: options.fetch(:max_backoff, 300.0),
        wake_gap: options.fetch(:wake_gap, WAKE_GAP_SECONDS),
        wake_settle: options.fetch(:wake_settle, WAKE_SETTLE_SECONDS)
      }
    rescue URI::InvalidURIError, ArgumentError
      nil
    end
  end
end

# frozen_string_literal: true

require "uri"

module Ebbflow
  # EBBFLOW_URL and DYNO → settings, or nil (agent disabled) when EBBFLOW_URL is unset.
  module Config
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
        max_backoff: options.fetch(:max_backoff, 300.0)
      }
    rescue URI::InvalidURIError, ArgumentError
      nil
    end
  end
end

# frozen_string_literal: true

require "json"
require "socket"

# A stand-in Ebbflow for the agent's own tests: records POST /api/v1/reports bodies with the
# right Bearer token, answers 202 with the instructions and scaled_to_zero the test sets (nil:
# the field left out, as older servers do), and can be stopped and started again on the same port
# to play an outage.
class FakeEbbflow
  attr_accessor :quiet, :status, :scaled_to_zero
  attr_reader :reports, :port, :token

  def initialize(token: "test-token-0123456789")
    @token = token
    @reports = []
    @quiet = []
    @status = 202
    @port = 0
    @lock = Mutex.new
    start
  end

  def url
    "http://agent:#{@token}@127.0.0.1:#{@port}"
  end

  def reports_snapshot
    @lock.synchronize { @reports.dup }
  end

  def start
    @server = TCPServer.new("127.0.0.1", @port)
    @port = @server.addr[1]
    @thread = Thread.new do
      loop do
        client = @server.accept
        Thread.new(client) { |socket| serve(socket) }
      rescue IOError, Errno::EBADF
        break
      end
    end
  end

  def stop
    @server.close
    @thread.join(2)
  end

  private

  def serve(socket)
    request_line = socket.gets.to_s
    headers = {}
    while (line = socket.gets) && line != "\r\n"
      name, value = line.split(":", 2)
      headers[name.downcase] = value.strip
    end
    body = socket.read(headers["content-length"].to_i)
    status, answer = respond(request_line, headers, body)
    data = JSON.generate(answer)
    socket.write("HTTP/1.1 #{status} X\r\nContent-Type: application/json\r\nContent-Length: #{data.bytesize}\r\nConnection: close\r\n\r\n#{data}")
  rescue StandardError
    nil
  ensure
    socket.close rescue nil # rubocop:disable Style/RescueModifier
  end

  def respond(request_line, headers, body)
    return [404, {}] unless request_line.start_with?("POST /api/v1/reports ")
    return [401, { error: "unauthorized" }] unless headers["authorization"] == "Bearer #{@token}"
    return [@status, {}] unless @status == 202

    report = JSON.parse(body)
    @lock.synchronize { @reports << report }
    answer = { received: true, process_type: report["process_type"], instructions: { quiet: @quiet } }
    answer[:scaled_to_zero] = @scaled_to_zero unless @scaled_to_zero.nil?
    [202, answer]
  end
end

def wait_for(timeout = 20, step = 0.05)
  deadline = Time.now + timeout
  until yield
    raise Minitest::Assertion, "condition not met within #{timeout} s" if Time.now > deadline

    sleep step
  end
end

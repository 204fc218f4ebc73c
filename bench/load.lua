-- wrk script: replays pre-signed webhook requests, each exactly once, then stops.
-- Each line of the requests file is "<signature>\t<urlencoded form>". Once a thread has sent
-- all of its requests, its connections ask for /healthz until every webhook is answered, so
-- none is sent twice and none is cut off.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  path, file, nthreads = args[1], args[2], tonumber(args[3])
  requests = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == id then
      local signature, body = line:match("([^\t]*)\t(.*)")
      table.insert(requests, wrk.format("POST", path, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = signature,
      }, body))
    end
    n = n + 1
  end
  filler = wrk.format("GET", "/healthz")
  index, answered, failures = 0, 0, 0
end

function request()
  index = index + 1
  if index > #requests then
    return filler
  end
  return requests[index]
end

function response(status, headers, body)
  if body:find("<Response>", 1, true) or status ~= 200 then
    answered = answered + 1
    if status ~= 200 then failures = failures + 1 end
  end
  if answered >= #requests then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("failures") end
  io.write(string.format(
    '{"requests": %d, "p50_ms": %.2f, "p99_ms": %.2f, "non_200": %d, "socket_errors": %d}\n',
    summary.requests, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

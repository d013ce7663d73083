-- wrk script for bench/http_load.py: every request asks the next path of a file, in turn.
--
--   wrk -t T -c C -d D -s bench/wrk_rotate.lua http://127.0.0.1:PORT -- PATHS_FILE T
--
-- Each of the T threads starts at its own offset in the file (so its connections do not all
-- ask the same query at once) and its connections share one rotation. At the end one JSON
-- line: requests, duration, errors by kind and latency percentiles in microseconds.

local threads = 0

function setup(thread)
   thread:set("id", threads)
   threads = threads + 1
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   if #paths == 0 then
      error("no paths in " .. args[1])
   end
   local count = tonumber(args[2]) or 1
   position = math.floor(id * #paths / count)
end

function request()
   position = position % #paths + 1
   return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max))
end

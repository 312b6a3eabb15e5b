-- wrk script of the serve load benchmark (benches/serve-load.sh):
--
--   wrk -s benches/serve-load.lua URL -- benches/serve-load.paths SCENARIO
--
-- Each connection sends the scenario's paths in turn (each wrk thread
-- starts at a different one), every response's status is counted, and
-- done() prints one line the shell script reads:
--
--   serve-load: requests=N seconds=S rps=R mean_ms=… p50_ms=… p95_ms=…
--   p99_ms=… max_ms=… connect=… read=… write=… timeout=… non2xx=…
--   statuses=200:N,503:N
--
-- Latency percentiles are wrk's own histogram (every response, whatever
-- its status), in milliseconds.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file, scenario = args[1], args[2]
   if not file or not scenario then
      error("usage: wrk -s serve-load.lua URL -- PATHS-FILE SCENARIO")
   end
   requests = {}
   for line in io.lines(file) do
      local name, path = line:match("^(%S+)%s+(/%S*)%s*$")
      if name == scenario then
         table.insert(requests, wrk.format("GET", path))
      end
   end
   if #requests == 0 then
      error("no paths for scenario '" .. scenario .. "' in " .. file)
   end
   turn = (id % #requests) + 1
   statuses = {}
end

function request()
   local request = requests[turn]
   turn = (turn % #requests) + 1
   return request
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local counts = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
      end
   end
   local seen = {}
   for status, n in pairs(counts) do
      table.insert(seen, status)
   end
   table.sort(seen)
   local parts = {}
   for _, status in ipairs(seen) do
      table.insert(parts, status .. ":" .. counts[status])
   end
   local ms = function(us) return us / 1000 end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "serve-load: requests=%d seconds=%.3f rps=%.1f mean_ms=%.2f p50_ms=%.2f"
         .. " p90_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f"
         .. " connect=%d read=%d write=%d timeout=%d non2xx=%d statuses=%s\n",
      summary.requests, seconds, summary.requests / seconds,
      ms(latency.mean), ms(latency:percentile(50)), ms(latency:percentile(90)),
      ms(latency:percentile(95)), ms(latency:percentile(99)), ms(latency.max),
      e.connect, e.read, e.write, e.timeout, e.status,
      #parts > 0 and table.concat(parts, ",") or "none"))
end

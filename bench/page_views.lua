-- wrk script for bench/trending.py: article page views as a browser makes them, the
-- page's GET then the POST of the read beacon it names, pipelined on one connection,
-- so wrk's latency is the whole view's and every two responses make one view.
--
-- Arguments after `--`: PAGE BEACON, then "readers" to end every view's User-Agent
-- (the page's and its beacon's) with a word of its own, so each view is a new reader
-- to the read counter (it counts a reader once an hour). The summary is wrk.lua's.

local page, beacon, readers, agent, static
local counter = 0

function setup(thread)
   setup_count = (setup_count or 0) + 1
   thread:set("id", setup_count)
end

local function view(user_agent)
   local get, post = {}, {}
   for name, value in pairs(wrk.headers) do
      get[name] = value
      post[name] = value
   end
   get["User-Agent"] = user_agent
   post["User-Agent"] = user_agent
   -- The script's beacon: no cookie, no body.
   return wrk.format("GET", page, get) .. wrk.format("POST", beacon, post, "")
end

function init(args)
   page, beacon = args[1], args[2]
   readers = args[3] == "readers"
   agent = wrk.headers["User-Agent"] or "Mozilla/5.0"
   static = view(agent)
end

function request()
   if not readers then
      return static
   end
   counter = counter + 1
   return view(agent .. " t" .. id .. "n" .. counter)
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
         .. '"socket_errors": %d, "status_errors": %d}\n',
      summary.requests,
      summary.duration,
      latency:percentile(50),
      latency:percentile(99),
      errors.connect + errors.read + errors.write + errors.timeout,
      errors.status
   ))
end

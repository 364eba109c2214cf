-- wrk script for `make bench`: GET as given, or POST a form, and a summary as JSON.
--
-- Arguments after `--`: METHOD, the url-encoded FORM, "unique" to end every form
-- with a word of its own (comment bodies: the app refuses a reader's duplicate), and
-- "readers" to end every User-Agent with a word of its own, so each request is a new
-- reader to the trending read counter (it counts a reader once an hour).
-- socket_errors include the timeouts, also given alone.

local method, form, unique, readers, agent, static
local counter = 0

function setup(thread)
   setup_count = (setup_count or 0) + 1
   thread:set("id", setup_count)
end

function init(args)
   method = args[1] or "GET"
   form = args[2] or ""
   unique = args[3] == "unique"
   readers = args[4] == "readers"
   wrk.method = method
   if method == "POST" then
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
      wrk.body = form
   end
   agent = wrk.headers["User-Agent"] or "Mozilla/5.0"
   static = wrk.format()
end

function request()
   if not unique and not readers then
      return static
   end
   counter = counter + 1
   local word = "t" .. id .. "n" .. counter
   local headers, body = nil, nil
   if readers then
      headers = {}
      for name, value in pairs(wrk.headers) do
         headers[name] = value
      end
      headers["User-Agent"] = agent .. " " .. word
   end
   if unique then
      body = form .. "+" .. word
   end
   return wrk.format(nil, nil, headers, body)
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
         .. '"socket_errors": %d, "status_errors": %d, "timeouts": %d}\n',
      summary.requests,
      summary.duration,
      latency:percentile(50),
      latency:percentile(99),
      errors.connect + errors.read + errors.write + errors.timeout,
      errors.status,
      errors.timeout
   ))
end

-- wrk script for `make bench`: GET as given, or POST a form, and a summary as JSON.
--
-- Arguments after `--`: METHOD, the url-encoded FORM, and "unique" to end every
-- form with a word of its own (comment bodies: the app refuses a reader's duplicate).

local method, form, unique, static
local counter = 0

function setup(thread)
   setup_count = (setup_count or 0) + 1
   thread:set("id", setup_count)
end

function init(args)
   method = args[1] or "GET"
   form = args[2] or ""
   unique = args[3] == "unique"
   wrk.method = method
   if method == "POST" then
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
      wrk.body = form
   end
   static = wrk.format()
end

function request()
   if not unique then
      return static
   end
   counter = counter + 1
   return wrk.format(nil, nil, nil, form .. "+t" .. id .. "n" .. counter)
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

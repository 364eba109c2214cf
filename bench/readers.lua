-- wrk script for bench/targets.py: requests that differ from one to the next, from
-- many signed-in readers, with every response counted by its status.
--
-- Arguments after `--`: MODE THREADS, then by mode:
--   unique TEMPLATE          GET TEMPLATE, its "{n}" replaced by a number of its own
--                            each request (cache misses, 404s of pages never asked for)
--   view READERS PAGE OVERLAY
--                            one reader's page view: the shared PAGE and the reader's
--                            OVERLAY pipelined on one connection, so wrk's latency is
--                            the view's (both answered) and two responses make a view
--   vote READERS OFFSET ROUND IDS
--                            an up-vote (as the page's htmx sends it) on a comment of
--                            the file IDS (one id a line), a different one each time
--   post READERS OFFSET ROUND PATH
--                            a new comment POSTed to PATH, its body unique (the app
--                            refuses a text posted again)
-- READERS is a file with one signed-in reader a line: "sessionid csrftoken address".
-- Thread T of THREADS takes the readers OFFSET+T-1, OFFSET+T-1+THREADS, ... in turn,
-- so the threads never share a reader, and a reader comes back only once every other
-- reader has had a turn. Its address goes in X-Forwarded-For (the bench trusts it from
-- loopback), as each reader would come from an address of their own.
--
-- done() prints one line: BENCH_JSON {...} with wrk's summary, the count of each
-- status and the refusals answered 200 (an htmx vote refused carries "vote-error").

local mode, step, readers, offset, round_number, ids
local template, page, overlay, path
local sequence = 0
statuses = {}
refused = 0

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local function read_lines(name)
   local lines = {}
   for line in io.lines(name) do
      if line ~= "" then
         table.insert(lines, line)
      end
   end
   return lines
end

local function read_readers(name)
   local found = {}
   for _, line in ipairs(read_lines(name)) do
      local session, token, address = line:match("^(%S+) (%S+) (%S+)$")
      table.insert(found, { session = session, token = token, address = address })
   end
   return found
end

function init(args)
   mode, step = args[1], tonumber(args[2])
   if mode == "unique" then
      template = args[3]
   elseif mode == "view" then
      readers, page, overlay = read_readers(args[3]), args[4], args[5]
      offset, round_number = 0, 0
   else
      readers, offset, round_number = read_readers(args[3]), tonumber(args[4]), args[5]
      if mode == "vote" then
         ids = read_lines(args[6])
      else
         path = args[6]
      end
   end
end

-- The reader of this thread's next turn, and the turn's number across all threads.
local function next_reader()
   local turn = offset + sequence * step + (id - 1)
   sequence = sequence + 1
   return readers[turn % #readers + 1], turn
end

local function headers_for(reader, cookies)
   local headers = {}
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   headers["Cookie"] = "sessionid=" .. reader.session .. "; csrftoken=" .. reader.token
      .. (cookies or "")
   headers["X-Forwarded-For"] = reader.address
   return headers
end

local function form_post(reader, target, form, extra)
   local headers = headers_for(reader)
   headers["Content-Type"] = "application/x-www-form-urlencoded"
   headers["X-CSRFToken"] = reader.token
   for name, value in pairs(extra or {}) do
      headers[name] = value
   end
   local body = "csrfmiddlewaretoken=" .. reader.token .. "&" .. form
   return wrk.format("POST", target, headers, body)
end

function request()
   if mode == "unique" then
      sequence = sequence + 1
      local number = tostring(id) .. "x" .. tostring(sequence)
      return wrk.format("GET", (template:gsub("{n}", number)))
   end
   local reader, turn = next_reader()
   if mode == "view" then
      local headers = headers_for(reader, "; nr_overlay=1")
      return wrk.format("GET", page, headers) .. wrk.format("GET", overlay, headers)
   elseif mode == "vote" then
      -- A reader's later turns move to other comments, so no vote takes one back.
      local rounds_of_readers = math.floor(turn / #readers)
      local comment = ids[(turn + rounds_of_readers * 7) % #ids + 1]
      return form_post(
         reader, "/comments/" .. comment .. "/vote/", "value=up", { ["HX-Request"] = "true" }
      )
   else
      local body = "body=Bench+comment+in+round+" .. round_number .. "%2C+turn+" .. turn
         .. "%3A+what+a+reader+might+write+about+the+story."
      return form_post(reader, path, body)
   end
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode == "vote" and status == 200 and body and body:find("vote-error", 1, true) then
      refused = refused + 1
   end
end

function done(summary, latency, requests)
   local counted, refusals = {}, 0
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         counted[status] = (counted[status] or 0) + count
      end
      refusals = refusals + thread:get("refused")
   end
   local parts = {}
   for status, count in pairs(counted) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
         .. '"socket_errors": %d, "status_errors": %d, "timeouts": %d, "statuses": {%s}, '
         .. '"refused": %d}\n',
      summary.requests,
      summary.duration,
      latency:percentile(50),
      latency:percentile(99),
      errors.connect + errors.read + errors.write + errors.timeout,
      errors.status,
      errors.timeout,
      table.concat(parts, ", "),
      refusals
   ))
end

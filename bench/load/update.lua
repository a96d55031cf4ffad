-- POSTs an update of one action item per request, each with the item's current version.
--
-- $BODY names a request template in which __ID__, __VERSION__ (the version read),
-- __NEXT__ (the version after the update) and __PROGRESS__ are replaced; $ITEMS names a
-- file of "id version" lines; $THREADS is wrk's thread count; $TOKEN, when set, is sent
-- as a bearer token. Each thread gets a disjoint slice of the items (wrk gives every
-- thread its own Lua state): request() takes an item from the thread's ready pool and
-- response() puts it back with the version the answer carries, so that every request
-- sends the version the server holds. Answers that are not 200, carry GraphQL errors or
-- lack the item's id and version count as bad (and their item leaves the pool).
local function read(name)
  local file = assert(io.open(os.getenv(name), "r"))
  local text = file:read("*a")
  file:close()
  return text
end

local template = read("BODY")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = {}
function setup(thread)
  local count = tonumber(os.getenv("THREADS"))
  local index = #threads
  table.insert(threads, thread)
  local mine = {}
  local n = 0
  for id, version in string.gmatch(read("ITEMS"), "(%S+) (%d+)") do
    if n % count == index then
      table.insert(mine, id .. ":" .. version)
    end
    n = n + 1
  end
  thread:set("pool", table.concat(mine, ","))
end

local ready = {}
local last
function init(args)
  bad = 0
  for id, version in string.gmatch(pool, "([^,:]+):(%d+)") do
    table.insert(ready, { id = id, version = tonumber(version) })
  end
end

function request()
  -- An empty pool means answers were lost: resend the last item, which will be refused
  -- (and counted) rather than stall the connection.
  local item = table.remove(ready, 1) or last
  last = item
  local body = template
    :gsub("__ID__", item.id)
    :gsub("__VERSION__", tostring(item.version))
    :gsub("__NEXT__", tostring(item.version + 1))
    :gsub("__PROGRESS__", tostring(10 + item.version % 80))
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  local id = string.match(body, '"(%x+%-%x+%-%x+%-%x+%-%x+)"')
  local version = string.match(body, '"version":(%d+)')
  if status ~= 200 or string.find(body, '"errors"', 1, true) or not id or not version then
    bad = bad + 1
    return
  end
  table.insert(ready, { id = id, version = tonumber(version) })
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("bad")
  end
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f bad=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    failures, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

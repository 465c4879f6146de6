-- bench/checkin.lua: wrk script for bench/checkin.sh: each request is a check-in by one of N signed-in caregivers
-- (chosen at random) on one of the plans listed in PLANS, with a key unique to the thread and request.
local counter = 0
local plans = {}
local n = tonumber(os.getenv("CAREGIVERS") or "1000")
for p in string.gmatch(os.getenv("PLANS") or "", "%d+") do plans[#plans + 1] = p end
local threads = 0

-- runs in the main script state; "tid" becomes a global of each thread's own state
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
end

function request()
  counter = counter + 1
  local i = math.random(0, n - 1)
  local plan = plans[math.random(1, #plans)]
  local key = string.format("bench-%s-%d-%d", tostring(tid), counter, math.random(0, 1000000000))
  local body = string.format('{"key":"%s","plan_id":%s,"device_at":%d,"lat":29.99,"lon":122.2,"accuracy":12}',
    key, plan, os.time())
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "ltci_session=bench-" .. i,
    ["X-CSRF-Token"] = "csrf-" .. i,
  }
  return wrk.format("POST", "/api/v1/visits/checkin", headers, body)
end

-- What the bench's wrk scripts share (bench/wrk.ts runs them): key=value options from wrk's command
-- line, status counting, and a done() that prints the run's figures as one JSON line, which
-- bench/wrk.ts reads instead of wrk's own text.

local M = {}

-- Options given after `--` on wrk's command line, as key=value; a key given twice makes a list.
function M.options(args)
  local options = {}
  for _, arg in ipairs(args) do
    local key, value = arg:match('^([%w_-]+)=(.*)$')
    if not key then
      error('bench: an option is key=value, not ' .. arg)
    end
    local list = options[key] or {}
    list[#list + 1] = value
    options[key] = list
  end
  return {
    one = function(key, fallback)
      local list = options[key]
      return list and list[#list] or fallback
    end,
    all = function(key)
      return options[key] or {}
    end,
  }
end

-- "Name: value" into a headers table.
function M.add_header(headers, line)
  local name, value = line:match('^([^:]+):%s*(.*)$')
  if not name then
    error('bench: a header is "Name: value", not ' .. line)
  end
  headers[name] = value
end

-- Which statuses are right: "200", "304", "200,304" or "2xx,3xx".
function M.matcher(spec)
  local accepted = {}
  for part in spec:gmatch('[^,%s]+') do
    accepted[part] = true
  end
  return function(status)
    local s = tostring(status)
    return accepted[s] == true or accepted[s:sub(1, 1) .. 'xx'] == true
  end
end

-- This thread's tallies.
local tallies = { statuses = {}, unexpected = 0 }

function M.count_status(status, right)
  local key = tostring(status)
  tallies.statuses[key] = (tallies.statuses[key] or 0) + 1
  if not right then
    tallies.unexpected = tallies.unexpected + 1
  end
end

local threads = {}

function M.setup(thread)
  threads[#threads + 1] = thread
  thread:set('thread_number', #threads)
end

local function encode(value)
  local kind = type(value)
  if kind == 'number' then
    if value ~= value or value == math.huge or value == -math.huge then
      return 'null'
    end
    if value == math.floor(value) and math.abs(value) < 2 ^ 53 then
      return string.format('%d', value)
    end
    return string.format('%.6f', value)
  elseif kind == 'string' then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format('\\u%04x', c:byte())
    end) .. '"'
  elseif kind == 'boolean' then
    return tostring(value)
  elseif kind == 'table' then
    local parts = {}
    if #value > 0 then
      for _, item in ipairs(value) do
        parts[#parts + 1] = encode(item)
      end
      return '[' .. table.concat(parts, ',') .. ']'
    end
    for key, item in pairs(value) do
      parts[#parts + 1] = encode(tostring(key)) .. ':' .. encode(item)
    end
    return '{' .. table.concat(parts, ',') .. '}'
  end
  return 'null'
end

-- done() runs in wrk's main Lua state and reads each thread's state with thread:get(), which in wrk
-- 4.1 copies a table wrongly (one slot too many is popped; a nested table crashes it). So a thread
-- hands over its tallies as one JSON string, made in its own state when asked for (all threads have
-- stopped by then), and the JSON of the threads is merged by bench/wrk.ts.
setmetatable(_G, {
  __index = function(_, key)
    if key == 'bench_tallies' then
      return encode(tallies)
    end
    return nil
  end,
})

function M.done(summary, latency, _requests)
  local per_thread = {}
  for i, thread in ipairs(threads) do
    per_thread[i] = thread:get('bench_tallies')
  end
  local result = {
    durationUs = summary.duration,
    requests = summary.requests,
    bytes = summary.bytes,
    errors = summary.errors,
    latencyUs = {
      p50 = latency:percentile(50),
      p90 = latency:percentile(90),
      p99 = latency:percentile(99),
      max = latency.max,
      mean = latency.mean,
    },
  }
  local json = encode(result)
  io.write('@bench-result ', json:sub(1, -2), ',"threads":[', table.concat(per_thread, ','), ']}\n')
end

return M

-- Writers posting top-level comments as a form without JavaScript does. Run with as many threads
-- as connections (wrk -tN -cN): a thread is the only thing a wrk script can tell apart, so each
-- connection is a thread of its own, and each thread posts as one member. Options:
--   path=/articles/slug      origin=http://127.0.0.1:port      run=<text that marks this run>
--   cookie=threadline_session=…   one per thread, in thread order
--   expect=2xx,3xx

local here = debug.getinfo(1, 'S').source:match('^@(.*/)') or './'
package.path = here .. '?.lua;' .. package.path
local bench = require('bench')

setup = bench.setup
done = bench.done

local path, origin, run, cookie, right
local posted = 0
local chips = { 'H20', 'H200', 'MI300X', 'Ascend 910B', 'B200' }

local function form_encode(text)
  return (text:gsub('[^%w%-%._~ ]', function(c)
    return string.format('%%%02X', c:byte())
  end):gsub(' ', '+'))
end

function init(args)
  local options = bench.options(args)
  path = options.one('path')
  origin = options.one('origin')
  run = options.one('run', '')
  right = bench.matcher(options.one('expect', '2xx,3xx'))
  local cookies = options.all('cookie')
  -- thread_number is set by setup(), which wrk runs before init().
  cookie = cookies[thread_number]
  if not path or not origin or not cookie then
    error('bench: post.lua needs path=, origin= and a cookie= for each thread')
  end
end

function request()
  posted = posted + 1
  -- Every body differs, in case a duplicate check is ever added.
  local text = string.format(
    'Bench comment %d from writer %d (run %s): does the %s rule change the picture for buyers in %d?',
    posted,
    thread_number,
    run,
    chips[posted % #chips + 1],
    2020 + posted % 7
  )
  return wrk.format('POST', path, {
    Cookie = cookie,
    Origin = origin,
    ['Content-Type'] = 'application/x-www-form-urlencoded',
  }, 'intent=comment&body=' .. form_encode(text))
end

function response(status)
  bench.count_status(status, right(status))
end

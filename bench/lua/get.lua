-- GET one address over and over (pages, feeds, a conditional feed, the limits). Options:
--   path=/articles/slug      the address (the URL on wrk's command line gives the host)
--   header=Name: value       a request header; as many as needed
--   expect=200               the statuses that count as right
--   check=statuses           count every answer's status in response(); or check=none, for the
--                            scenarios where that would cost wrk more than the server (see
--                            bench/README.md): wrk then counts statuses of 400 and above itself

local here = debug.getinfo(1, 'S').source:match('^@(.*/)') or './'
package.path = here .. '?.lua;' .. package.path
local bench = require('bench')

setup = bench.setup
done = bench.done

function init(args)
  local options = bench.options(args)
  wrk.method = 'GET'
  wrk.path = options.one('path', '/')
  for _, line in ipairs(options.all('header')) do
    bench.add_header(wrk.headers, line)
  end
  -- Defined only when asked for: wrk reads every body into Lua as soon as response() exists.
  if options.one('check', 'statuses') == 'statuses' then
    local right = bench.matcher(options.one('expect', '200'))
    response = function(status)
      bench.count_status(status, right(status))
    end
  end
end

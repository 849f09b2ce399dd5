-- A member's complete page load. With viewer=: the shared article page, then, once it has arrived,
-- the one per-member request the page makes after loading (GET <page>/viewer.json, same query
-- string), both with the member's session cookie. Without viewer=: the page alone (the member's
-- part spliced into it by the server). Options:
--   page=/articles/slug      viewer=/articles/slug/viewer.json      cookie=threadline_session=…
--   expect-page=200          expect-viewer=200
--
-- wrk's scripts cannot tell which connection asks for the next request. So each request is tagged
-- with an X-Request-Id (which the app sends back) naming its load, and a page that has arrived
-- leaves its viewer.json owed: the next connection ready to send (most often the same one, its
-- answer just read) sends it before any new page. A load's time runs from sending its page to the
-- last answer; a page answered wrongly ends its load there (a browser's script would not run).

local here = debug.getinfo(1, 'S').source:match('^@(.*/)') or './'
package.path = here .. '?.lua;' .. package.path
local bench = require('bench')

setup = bench.setup
done = bench.done

local page, viewer, cookie
local page_right, viewer_right
local loads = 0
local owed, owed_first, owed_last = {}, 1, 0
local page_sent, viewer_sent = {}, {}

function init(args)
  local options = bench.options(args)
  page = options.one('page')
  viewer = options.one('viewer')
  cookie = options.one('cookie')
  page_right = bench.matcher(options.one('expect-page', '200'))
  viewer_right = bench.matcher(options.one('expect-viewer', '200'))
  if not page or not cookie then
    error('bench: page-load.lua needs page= and cookie=')
  end
end

function request()
  if owed_first <= owed_last then
    local load = owed[owed_first]
    owed[owed_first] = nil
    owed_first = owed_first + 1
    viewer_sent[load] = bench.now_ms()
    return wrk.format('GET', viewer, { Cookie = cookie, Accept = 'application/json', ['X-Request-Id'] = 'bench-viewer-' .. load })
  end
  loads = loads + 1
  page_sent[loads] = bench.now_ms()
  return wrk.format('GET', page, { Cookie = cookie, Accept = 'text/html', ['X-Request-Id'] = 'bench-page-' .. loads })
end

function response(status, headers)
  local at = bench.now_ms()
  local kind, n = (bench.header(headers, 'X-Request-Id') or ''):match('^bench%-(%a+)%-(%d+)$')
  local load = tonumber(n)
  if kind == 'page' and page_sent[load] then
    local right = page_right(status)
    bench.count_status(status, right)
    bench.sample('page', at - page_sent[load])
    if right and viewer then
      owed_last = owed_last + 1
      owed[owed_last] = load
    else
      if right then
        bench.sample('load', at - page_sent[load])
        bench.add('loads')
      end
      page_sent[load] = nil
    end
  elseif kind == 'viewer' and viewer_sent[load] then
    bench.count_status(status, viewer_right(status))
    bench.sample('viewer', at - viewer_sent[load])
    bench.sample('load', at - page_sent[load])
    bench.add('loads')
    page_sent[load], viewer_sent[load] = nil, nil
  else
    -- Not an answer to a request of ours: wrong, whatever its status.
    bench.count_status(status, false)
    bench.add('unidentified')
  end
end

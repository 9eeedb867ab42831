-- Cycle through pre-built signed requests, each wrk thread on its own slice
-- (so that no two requests share a MsgId: every request is a new message).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  paths, bodies, n, i = {}, {}, 0, 0
  local line_no = 0
  for line in io.lines(file) do
    if line_no % nthreads == tid then
      local tab = line:find("\t", 1, true)
      n = n + 1
      paths[n] = line:sub(1, tab - 1)
      bodies[n] = line:sub(tab + 1)
    end
    line_no = line_no + 1
  end
end

function request()
  i = i % n + 1
  return wrk.format("POST", paths[i], {["Content-Type"] = "text/xml"}, bodies[i])
end

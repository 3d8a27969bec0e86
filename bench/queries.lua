-- wrk script for bench/serve.sh: every request is the next search of a
-- mix (words, a phrase, a prefix, filters, page 2), so that the benchmark
-- is not one cached answer.
local paths = {
  "/api/search?q=bridge",
  "/api/search?q=%22simply+staff%22",
  "/api/search?q=sleep*",
  "/api/search?q=wait&per_page=5",
  "/api/search?q=bridge&page=2&per_page=2",
  "/api/search?q=insufferable&speaker=marcus+dale",
  "/api/search?q=harbour+OR+oysters",
  "/api/search?q=ticket*&from=2023-04&to=2023-04",
  "/api/search?q=library",
  "/api/search?q=nothing+matches+this+zzz",
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

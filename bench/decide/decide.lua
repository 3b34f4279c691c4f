-- wrk script for bench/decide/run.sh: POST /v1/decide with the quickstart scenario's requests
-- (classify an alert, close a Low alert, close a High alert), each for another alert, with the
-- agent's confidence (the quickstart schema declares no context for them). The key comes from
-- $PACTUM_API_KEY. wrk counts every answer but 2xx/3xx as "Non-2xx or 3xx responses".
local key = os.getenv("PACTUM_API_KEY")
local headers = {
  ["Authorization"] = "Bearer " .. key,
  ["Content-Type"] = "application/json",
}
local kinds = {
  { "classify_alert", "High", 0.92 },
  { "close_alert", "Low", 0.88 },
  { "close_alert", "High", 0.9 },
}
local bodies = {}
for i = 0, 255 do
  local k = kinds[i % 3 + 1]
  local alert = "alert-" .. (9000 + i)
  bodies[#bodies + 1] = string.format(
    '{"agent":"triage-gpt4o","workflow":"alert_triage","action":"%s",' ..
    '"resource":{"type":"Alert","id":"%s","attrs":{"priority":"%s"}},"confidence":%s}',
    k[1], alert, k[2], k[3])
end
local requests = {}
for i, body in ipairs(bodies) do
  requests[i] = wrk.format("POST", "/v1/decide", headers, body)
end
local n = 0
request = function()
  n = n + 1
  return requests[n % #requests + 1]
end

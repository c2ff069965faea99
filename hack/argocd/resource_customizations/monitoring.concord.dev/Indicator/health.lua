-- Argo CD health check for Concord's Indicator (monitoring.concord.dev/v1alpha1).
--
-- Health follows Ready and Stalled only, for the generation Argo CD applied:
--   Progressing  Concord has not evaluated metadata.generation yet (no status, no
--                conditions, or status.observedGeneration behind)
--   Degraded     Stalled is True (only a change, or a new object, helps), or Ready
--                is False (InvalidSpec, or an unresolved reference: MechanismNotFound)
--   Healthy      Ready is True
--   Suspended    spec.suspend is true: Concord no longer evaluates it
--
-- TargetMet, EvidenceMissing, DataOverdue, OnTrack and Anomalous are data: they
-- never make the resource unhealthy, so health does not flap with reporting.
-- See docs/argocd.md.
local hs = {}

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

local function waiting()
  hs.status = "Progressing"
  if generation ~= nil then
    hs.message = "Waiting for Concord to evaluate generation " .. tostring(generation)
  else
    hs.message = "Waiting for Concord to evaluate the object"
  end
  return hs
end

-- current: the condition was computed for the generation Argo CD applied.
local function current(c)
  return c.observedGeneration == nil or generation == nil or c.observedGeneration == generation
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return c.type .. " is " .. tostring(c.status) .. ": " .. tostring(c.reason)
end

-- spec.suspend stops evaluation: status keeps its last values and
-- observedGeneration no longer follows the spec.
if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Evaluation is suspended by spec.suspend; status shows the last evaluation"
  return hs
end

local status = obj.status
if status == nil or status.conditions == nil then
  return waiting()
end
if generation ~= nil and status.observedGeneration ~= generation then
  return waiting()
end

local ready = nil
local stalled = nil
for _, c in ipairs(status.conditions) do
  if c.type == "Ready" then
    ready = c
  elseif c.type == "Stalled" then
    stalled = c
  end
end

if ready == nil or not current(ready) then
  return waiting()
end
if stalled ~= nil and current(stalled) and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end
if ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end
hs.status = "Progressing"
hs.message = describe(ready)
return hs

package io.proxywatch.fleet;

/**
 * The Lua script that adds one client's window increments in Redis, atomically: Redis runs a script alone, so
 * instances flushing the same client at once cannot lose each other's counts. Called once per client per flush
 * with all the client's counters as KEYS (one hash tag, so one cluster slot).
 *
 * <p>Each counter is a hash: one field per window slot ("<slot number>" = requests in it, fleet-wide) and one per
 * instance that counted into it ("@<instance>" = the newest slot it wrote), which is how an alert can name the
 * instances that saw a burst. Slots that have left the window of the newest slot written by anyone are deleted,
 * and the hash expires when no instance writes to it for the window plus a second: memory stays bounded by the
 * keys active in the last window.
 *
 * <p>ARGV: the instance's name, then per key: expiry in ms, slots per window, n, then n pairs (slot, increment).
 * Returns per key: the newest slot this call wrote, then the fleet's counts of the window's slots up to it, oldest
 * first.
 */
final class WindowScript {
    static final String TEXT = """
            local me = '@' .. ARGV[1]
            local out = {}
            local p = 2
            for i = 1, #KEYS do
              local key = KEYS[i]
              local ttl = ARGV[p]
              local width = tonumber(ARGV[p + 1])
              local n = tonumber(ARGV[p + 2])
              p = p + 3
              local newest = nil
              local newestText = nil
              for j = 1, n do
                local slot = tonumber(ARGV[p])
                redis.call('HINCRBY', key, ARGV[p], ARGV[p + 1])
                if newest == nil or slot > newest then
                  newest = slot
                  newestText = ARGV[p]
                end
                p = p + 2
              end
              redis.call('HSET', key, me, newestText)
              local fields = redis.call('HGETALL', key)
              local top = newest
              for f = 1, #fields, 2 do
                local at = string.sub(fields[f], 1, 1) == '@' and tonumber(fields[f + 1]) or tonumber(fields[f])
                if at > top then top = at end
              end
              local counts = {}
              for k = 1, width do counts[k] = 0 end
              local stale = {}
              for f = 1, #fields, 2 do
                local name = fields[f]
                local instance = string.sub(name, 1, 1) == '@'
                local at = instance and tonumber(fields[f + 1]) or tonumber(name)
                if at <= top - width then
                  stale[#stale + 1] = name
                elseif not instance and at <= newest and at > newest - width then
                  counts[at - newest + width] = tonumber(fields[f + 1])
                end
              end
              if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
              redis.call('PEXPIRE', key, ttl)
              out[#out + 1] = newest
              for k = 1, width do out[#out + 1] = counts[k] end
            end
            return out
            """;

    private WindowScript() {
    }
}

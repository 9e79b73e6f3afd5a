import assert from "node:assert/strict";
import { test } from "node:test";
import { dayOfYear, seasonalTransition, simulateWeather, WEATHER_STATES } from "../../src/data/weather.js";
import { random } from "../../src/jax.js";

test("every day's transition matrix is stochastic; snow only outside summer", () => {
  for (let d = 1; d <= 366; d++) {
    const t = seasonalTransition(d);
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) {
        assert.ok(t[4 * i + j] >= 0);
        s += t[4 * i + j];
      }
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
  }
  assert.equal(dayOfYear(new Date(Date.UTC(2001, 6, 15))), 196);
  assert.equal(dayOfYear(new Date(Date.UTC(2000, 11, 31))), 366);
  assert.ok(seasonalTransition(197)[3] < 1e-4, "mid-July: almost never snow after a sunny day");
  assert.ok(seasonalTransition(15)[3] > 0.1, "mid-January: snow is common");
});

test("simulation is reproducible from the key, with ISO dates and seasonal snow", () => {
  const a = simulateWeather(random.key(7), { days: 730 });
  const b = simulateWeather(random.key(7), { days: 730 });
  const c = simulateWeather(random.key(8), { days: 730 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.weather, c.weather);
  assert.equal(a.dates[0], "2000-01-01");
  assert.equal(a.dates[366], "2001-01-01"); // 2000 is a leap year
  assert.ok(a.weather.every((w) => (WEATHER_STATES as readonly string[]).includes(w)));
  const julySnow = a.weather.filter((w, i) => a.dates[i].slice(5, 7) === "07" && w === "snowy").length;
  const janSnow = a.weather.filter((w, i) => a.dates[i].slice(5, 7) === "01" && w === "snowy").length;
  assert.equal(julySnow, 0);
  assert.ok(janSnow > 10);
});

test("bad options are ValueErrors naming the option", () => {
  assert.throws(
    () => simulateWeather(random.key(0), { days: 0 }),
    /days must be a positive integer, but got 0/,
  );
  assert.throws(
    () => simulateWeather(random.key(0), { start: "2001-02-30" }),
    /start must be a date YYYY-MM-DD/,
  );
});

//! Small instances for documentation examples and quick tests.

/// One district, one officer, three experts and two firms with no sweep on record
/// (so both are overdue and mandatory), planned over one working week.
pub const TWO_FIRMS: &str = r#"{
  "name": "two-firms",
  "horizon": { "start": "2027-03-01", "end": "2027-03-05" },
  "policy": { "random_share": 0 },
  "districts": [{ "id": "D1", "name": "运河区", "base": { "lat": 38.31, "lon": 116.86 } }],
  "officers": [{ "id": "O1", "name": "王强", "district": "D1" }],
  "experts": [
    { "id": "E1", "name": "李明", "tier": "city", "title": "senior", "specialties": ["construction", "fire_safety"],
      "certified_until": "2028-12-31", "home": { "lat": 38.30, "lon": 116.85 } },
    { "id": "E2", "name": "张伟", "tier": "city", "title": "intermediate", "specialties": ["electrical"],
      "certified_until": "2028-12-31", "home": { "lat": 38.32, "lon": 116.84 } },
    { "id": "E3", "name": "刘洋", "tier": "provincial", "title": "associate_senior", "specialties": ["construction"],
      "certified_until": "2028-12-31", "home": { "lat": 38.29, "lon": 116.88 } }
  ],
  "enterprises": [
    { "id": "F1", "name": "沧州建工一号工地", "district": "D1", "location": { "lat": 38.33, "lon": 116.87 },
      "sector": "construction", "risk": "yellow", "officer": "O1" },
    { "id": "F2", "name": "华北商城", "district": "D1", "location": { "lat": 38.30, "lon": 116.90 },
      "sector": "crowded_venue", "risk": "yellow", "officer": "O1" }
  ]
}"#;

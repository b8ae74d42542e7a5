//! Chinese names for people, firms and groups, and the public-holiday calendar.

use chrono::NaiveDate;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use sweep_solver::model::Sector;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "于", "董", "萧",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明",
    "超", "秀兰", "霞", "平", "刚", "建华", "志强", "海燕", "国庆", "晓东", "立新", "振华", "玉兰",
    "文博", "春生",
];
const CORES: &[&str] = &[
    "鑫达", "华泰", "恒信", "金诺", "渤海", "旭升", "长城", "宏远", "瑞丰", "中和", "新天", "海洋",
    "正元", "永盛", "东方", "凯越", "利民", "广源", "泰和", "北方",
];

/// Corporate groups used for avoidance.
pub const GROUPS: &[&str] = &[
    "中国石化集团",
    "旭阳集团",
    "渤海化工集团",
    "沧州大化集团",
    "冀中能源集团",
    "河钢集团",
];

/// A person's name.
pub fn person(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    )
}

/// A firm's name fitting its sector (and park, for the coastal chemical parks).
pub fn firm(rng: &mut ChaCha8Rng, sector: Sector, park: Option<&str>) -> String {
    let core = CORES[rng.random_range(0..CORES.len())];
    let suffix = match sector {
        Sector::HazardousChemicals => "化工有限公司",
        Sector::Fireworks => "烟花爆竹有限公司",
        Sector::NonCoalMining => "石油开采作业区",
        Sector::Metallurgy => "铸造有限公司",
        Sector::SpecialEquipment => "锅炉压力容器有限公司",
        Sector::Construction => "建设工程项目部",
        Sector::CrowdedVenue => "商贸广场",
        Sector::OccupationalHealth => "制品有限公司",
        Sector::DangerousGoodsTransport => "危险货物运输有限公司",
        Sector::CityGas => "燃气有限公司",
    };
    let number = rng.random_range(1..100);
    match park {
        Some(p) => format!("{p}{core}{suffix}({number})"),
        None => format!("沧州{core}{suffix}({number})"),
    }
}

/// Public holidays (on weekdays) and adjusted working days (调休) of a year.
///
/// 2026 and 2027 follow the State Council schedule (2027's as announced in the usual
/// pattern); other years get the fixed-date holidays only.
pub fn public_holidays(year: i32) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
    let range = |m: u32, a: u32, b: u32| {
        (a..=b).map(move |x| NaiveDate::from_ymd_opt(year, m, x).expect("valid date"))
    };
    let (mut holidays, workdays): (Vec<NaiveDate>, Vec<NaiveDate>) = match year {
        2026 => (
            range(1, 1, 3)
                .chain(range(2, 15, 23))
                .chain(range(4, 4, 6))
                .chain(range(5, 1, 5))
                .chain(range(6, 19, 21))
                .chain(range(9, 25, 27))
                .chain(range(10, 1, 7))
                .collect(),
            vec![d(1, 4), d(2, 14), d(2, 28), d(5, 9), d(9, 20), d(10, 10)],
        ),
        2027 => (
            range(1, 1, 1)
                .chain(range(2, 5, 11))
                .chain(range(4, 3, 5))
                .chain(range(5, 1, 5))
                .chain(range(6, 9, 11))
                .chain(range(9, 15, 17))
                .chain(range(10, 1, 7))
                .collect(),
            vec![d(2, 20), d(4, 25), d(5, 8), d(9, 26), d(10, 9)],
        ),
        _ => (
            std::iter::once(d(1, 1))
                .chain(range(5, 1, 3))
                .chain(range(10, 1, 7))
                .collect(),
            Vec::new(),
        ),
    };
    holidays.sort();
    (holidays, workdays)
}

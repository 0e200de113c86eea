//! Where a build spends its time: per pipeline stage, and per template (how many pages
//! it rendered, in how long in total, the slowest one), like Hugo's template metrics.
//! Collected on every build (a clock read per page costs nothing measurable); printed
//! by `build --timings`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The time of each stage, in pipeline order, and of each template.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Stages among `stages` that ran at the same time as the stage before them, on
    /// the other cores: their time is part of that stage's, not added to the total.
    pub alongside: Vec<&'static str>,
    pub templates: BTreeMap<String, TemplateTiming>,
}

/// The pages one template rendered in this build (pages reused from the previous build
/// of `serve` are not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TemplateTiming {
    pub count: usize,
    pub total: Duration,
    pub max: Duration,
}

impl TemplateTiming {
    pub fn add(&mut self, took: Duration) {
        self.count += 1;
        self.total += took;
        self.max = self.max.max(took);
    }

    pub fn merge(&mut self, other: &TemplateTiming) {
        self.count += other.count;
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    pub fn mean(&self) -> Duration {
        if self.count == 0 {
            Duration::ZERO
        } else {
            self.total / self.count as u32
        }
    }
}

impl Timings {
    /// Runs `stage`, recording how long it took under `name`.
    pub fn time<T>(&mut self, name: &'static str, stage: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = stage();
        self.stages.push((name, start.elapsed()));
        out
    }

    /// Records `name`, which took `took` while the stage recorded last was running.
    pub fn alongside(&mut self, name: &'static str, took: Duration) {
        self.stages.push((name, took));
        self.alongside.push(name);
    }

    /// Appends `other`'s stages after this one's and adds up the templates.
    pub fn extend(&mut self, other: Timings) {
        self.stages.extend(other.stages);
        self.alongside.extend(other.alongside);
        for (name, t) in other.templates {
            self.templates.entry(name).or_default().merge(&t);
        }
    }

    /// A plain-text table: the stages with their share of the total, then the
    /// templates, slowest in total first.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let is_alongside = |name: &str| self.alongside.contains(&name);
        let total: Duration = self
            .stages
            .iter()
            .filter(|(name, _)| !is_alongside(name))
            .map(|(_, d)| *d)
            .sum();
        let mut out = String::new();
        let _ = writeln!(out, "{:<22} {:>10} {:>6}", "stage", "ms", "share");
        let mut previous = "";
        for (name, d) in &self.stages {
            if is_alongside(name) {
                let _ = writeln!(out, "{name:<22} {:>10.1}  (alongside {previous})", ms(*d));
                continue;
            }
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * d.as_secs_f64() / total.as_secs_f64()
            };
            let _ = writeln!(out, "{name:<22} {:>10.1} {share:>5.1}%", ms(*d));
            previous = name;
        }
        let _ = writeln!(out, "{:<22} {:>10.1}", "total", ms(total));
        if !self.templates.is_empty() {
            let mut rows: Vec<_> = self.templates.iter().collect();
            rows.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(b.0)));
            let _ = writeln!(
                out,
                "\n{:<22} {:>7} {:>10} {:>9} {:>9}",
                "template", "count", "total ms", "mean ms", "max ms"
            );
            for (name, t) in rows {
                let _ = writeln!(
                    out,
                    "{name:<22} {:>7} {:>10.1} {:>9.3} {:>9.3}",
                    t.count,
                    ms(t.total),
                    ms(t.mean()),
                    ms(t.max)
                );
            }
            let _ = writeln!(
                out,
                "(template times add up the work of all threads; stage times are wall time)"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_timing_counts_totals_and_keeps_the_slowest() {
        let mut t = TemplateTiming::default();
        t.add(Duration::from_millis(2));
        t.add(Duration::from_millis(6));
        assert_eq!(t.count, 2);
        assert_eq!(t.total, Duration::from_millis(8));
        assert_eq!(t.max, Duration::from_millis(6));
        assert_eq!(t.mean(), Duration::from_millis(4));
    }

    #[test]
    fn table_lists_stages_in_order_and_templates_by_total() {
        let mut timings = Timings::default();
        timings.stages.push(("load", Duration::from_millis(30)));
        timings.stages.push(("write", Duration::from_millis(10)));
        let slow = TemplateTiming {
            count: 1,
            total: Duration::from_millis(9),
            max: Duration::from_millis(9),
        };
        let fast = TemplateTiming {
            count: 3,
            total: Duration::from_millis(3),
            max: Duration::from_millis(1),
        };
        timings.templates.insert("a.html".into(), fast);
        timings.templates.insert("b.html".into(), slow);
        let table = timings.table();
        let pos = |s: &str| table.find(s).unwrap();
        assert!(pos("load") < pos("write"));
        assert!(pos("b.html") < pos("a.html"), "{table}");
        assert!(table.contains("75.0%"), "{table}");
        assert!(table.contains("total") && table.contains("40.0"), "{table}");
    }

    #[test]
    fn a_stage_alongside_another_is_listed_but_not_added_to_the_total() {
        let mut timings = Timings::default();
        timings.stages.push(("pages", Duration::from_millis(30)));
        timings.alongside("data files", Duration::from_millis(20));
        timings.stages.push(("write", Duration::from_millis(10)));
        let table = timings.table();
        assert!(table.contains("(alongside pages)"), "{table}");
        assert!(table.contains("75.0%") && table.contains("40.0"), "{table}");
    }
}

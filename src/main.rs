//! The `partnerpress` command: parses arguments, runs the library, prints the outcome
//! and picks the exit code (0 success, 1 content errors, 2 usage or I/O errors).

use clap::{Args, Parser, Subcommand};
use partnerpress::diagnostics::Code;
use partnerpress::scaffold::NewKind;
use partnerpress::{BuildOptions, BuildReport, Mode, Session, diagnostics, serve};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "partnerpress",
    version = env!("PARTNERPRESS_VERSION"),
    about = "Static site generator for partnership news and fact sheets"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print every warning in full (a build otherwise prints only its summary line for warnings).
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Parse, validate, render in memory and follow every internal link; write nothing.
    Check(SiteArgs),
    /// Build, serve on 127.0.0.1:1111, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// Create a content file with valid front matter, e.g. `new news "Title" --partners a,b`.
    New(NewArgs),
    /// Start a new site: example content, legal pages, `.gitignore` and a deploy workflow.
    Init(InitArgs),
}

#[derive(Args)]
struct InitArgs {
    /// The folder to create the site in (new or empty).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The site's title (default: an example title in each language).
    #[arg(long)]
    title: Option<String>,
    /// The site's languages, the default first (`de`, `en`).
    #[arg(long, value_delimiter = ',', default_value = "de,en")]
    languages: Vec<String>,
    /// The address the site will be published at (the deploy workflow passes its own).
    #[arg(long, default_value = "https://example.org/")]
    base_url: String,
    /// The time zone of embargo times (IANA name).
    #[arg(long, default_value = "Europe/Berlin")]
    timezone: String,
    /// Create the site in a folder that is not empty (existing files are never overwritten).
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    kind: NewKindArg,
    /// Title (or name, for an institution); the id is made from it.
    title: String,
    /// Institution ids, comma-separated.
    #[arg(long, value_delimiter = ',')]
    partners: Vec<String>,
    /// Partnership id (news only).
    #[arg(long)]
    partnership: Option<String>,
    /// Release date (news only; default today), `YYYY-MM-DD`.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<jiff::civil::Date>,
    /// The id (file name) to use instead of one made from the title; with `--lang`, the
    /// original's id.
    #[arg(long)]
    id: Option<String>,
    /// Create the translation of `--id` into this language (`<id>.<lang>.md`).
    #[arg(long)]
    lang: Option<String>,
    /// Media contacts (news only), comma-separated `<institution-id>/<name-slug>`.
    #[arg(long, value_delimiter = ',')]
    contacts: Vec<String>,
    /// The summary (news and pages).
    #[arg(long)]
    summary: Option<String>,
    /// The site root.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKindArg {
    News,
    Institution,
    Partnership,
    Page,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Rebuild on every change to content/ or themes/ (no server).
    #[arg(long)]
    watch: bool,
    /// With --watch: poll for changes instead of waiting for file system events.
    #[arg(long, requires = "watch")]
    poll: bool,
    /// Print the time of each stage and each template (pages, total, mean, slowest);
    /// with --watch, after every rebuild.
    #[arg(long)]
    timings: bool,
    /// Publish without following the site's internal links and images.
    #[arg(long)]
    no_link_check: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Address to listen on; anything but loopback makes the preview public.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Poll for changes instead of waiting for file system events.
    #[arg(long)]
    poll: bool,
    /// After every rebuild, print the time of each stage and each template.
    #[arg(long)]
    timings: bool,
    /// Show the site without following its internal links and images.
    #[arg(long)]
    no_link_check: bool,
}

#[derive(Args)]
struct SiteArgs {
    /// The site root (the folder holding `content/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder (default: `public` inside the root).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override `base_url` from site.yaml, e.g. for previews on a sub-path.
    #[arg(long)]
    base_url: Option<String>,
    /// Include drafts and releases under embargo.
    #[arg(long)]
    drafts: bool,
    /// Build as if it were this time, for embargoes and reproducible builds:
    /// `2026-12-07 10:00` (in the site's `timezone`) or `2026-12-07T10:00:00+01:00`;
    /// default `PARTNERPRESS_NOW`, else the clock.
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    now: Option<partnerpress::model::Now>,
    /// Treat warnings as errors: the build stops and publishes nothing (for CI).
    #[arg(long)]
    deny_warnings: bool,
}

/// `--date`: a calendar date, with the expected form (and the reordered input, for a
/// day-first date such as `23.07.2025`) when it is not one.
fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.trim().parse().map_err(|_| {
        let parts: Vec<&str> = text.trim().split(['.', '/']).collect();
        match parts[..] {
            [d, m, y] if y.len() == 4 && [d, m, y].iter().all(|p| p.parse::<u16>().is_ok()) => {
                format!("write the date as YYYY-MM-DD: `{y}-{m:0>2}-{d:0>2}`")
            }
            _ => "write the date as YYYY-MM-DD, e.g. `2025-07-23`".to_owned(),
        }
    })
}

/// `--now` and `PARTNERPRESS_NOW`: a moment with its offset from UTC, or a date and time
/// without one, which means that time in the site's `timezone`.
fn parse_now(text: &str) -> Result<partnerpress::model::Now, String> {
    text.parse()
}

impl BuildArgs {
    fn build_options(&self) -> BuildOptions {
        BuildOptions {
            no_link_check: self.no_link_check,
            ..self.site.options()
        }
    }
}

/// `PARTNERPRESS_NOW`, if set: the moment a build treats as now.
fn env_now() -> Result<Option<partnerpress::model::Now>, String> {
    match std::env::var("PARTNERPRESS_NOW") {
        Ok(v) if !v.trim().is_empty() => parse_now(&v)
            .map(Some)
            .map_err(|e| format!("PARTNERPRESS_NOW=`{v}` is not a moment\n  = help: {e}")),
        _ => Ok(None),
    }
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            local_origin: None,
            now: self.now.or_else(|| env_now().ok().flatten()),
            deny_warnings: self.deny_warnings,
            no_link_check: false,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let site_args = match &cli.command {
        Command::Build(a) => Some(&a.site),
        Command::Check(a) => Some(a),
        Command::Serve(a) => Some(&a.site),
        Command::New(_) | Command::Init(_) => None,
    };
    if let Some(args) = site_args {
        if let Err(e) = env_now() {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        if let Some(url) = &args.base_url
            && let Err(e) = partnerpress::model::base_url(url)
        {
            eprintln!(
                "error: invalid `--base-url`: {e}\n  = help: pass the address the site is published at, e.g. `--base-url https://example.org/preview/`"
            );
            return ExitCode::from(2);
        }
        let content = args.root.join("content");
        if !content.is_dir() {
            eprintln!(
                "error: no site at `{}`: there is no `{}` folder\n  = help: run partnerpress in a site folder or pass `--root DIR`",
                args.root.display(),
                content.display()
            );
            return ExitCode::from(2);
        }
    }
    match &cli.command {
        Command::Build(args) if args.watch => {
            let reporter = Arc::new(Terminal {
                verbose: cli.verbose,
                timings: args.timings,
            });
            io_result(serve::watch_and_build(
                args.build_options(),
                args.poll,
                reporter,
            ))
        }
        Command::Serve(args) => {
            let opts = serve::ServeOptions {
                build: BuildOptions {
                    no_link_check: args.no_link_check,
                    ..args.site.options()
                },
                bind: args.bind,
                port: args.port,
                poll: args.poll,
            };
            io_result(serve::serve(
                opts,
                Arc::new(Terminal {
                    verbose: cli.verbose,
                    timings: args.timings,
                }),
            ))
        }
        Command::Build(args) => {
            let opts = args.build_options();
            let output = opts.output_dir();
            let run = Session::last(opts).run_waiting(Mode::Build, &|who| waiting(&output, who));
            match run {
                Ok(report) => {
                    let code = finish(&report, cli.verbose, Mode::Build);
                    if args.timings {
                        print!("\n{}", report.timings.table());
                        if report.media_processed + report.media_reused > 0 {
                            println!(
                                "media: {} processed, {} from the cache",
                                report.media_processed, report.media_reused
                            );
                        }
                    }
                    code
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check(args) => match Session::last(args.options()).run(Mode::Check) {
            Ok(report) => finish(&report, cli.verbose, Mode::Check),
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::New(args) => new_file(args),
        Command::Init(args) => init_site(args),
    }
}

fn init_site(args: &InitArgs) -> ExitCode {
    let opts = partnerpress::init::InitOptions {
        title: args.title.clone(),
        languages: args.languages.iter().map(|l| l.trim().to_owned()).collect(),
        base_url: args.base_url.clone(),
        timezone: args.timezone.clone(),
        today: jiff::ZonedDateTime::now().date(),
    };
    match partnerpress::init(&args.dir, &opts, args.force) {
        Ok(files) => {
            let dir = args.dir.display();
            println!("created a site in `{dir}` ({} files); next:", files.len());
            if args.dir != std::path::Path::new(".") {
                println!("  cd {dir}");
            }
            println!(
                "  partnerpress serve      # preview at http://127.0.0.1:1111/, rebuilt on every save"
            );
            println!(
                "  partnerpress new news \"Title\" --partners a,b   # a new release (a draft)"
            );
            println!("  partnerpress check      # every problem, with file:line:column");
            println!(
                "fill in the [placeholders] of the pages in content/pages/ before you publish"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The flags of `new` that a kind does not have, as an error naming the first one.
fn inapplicable_flag(args: &NewArgs) -> Option<String> {
    let kind = args.kind;
    let news = matches!(kind, NewKindArg::News);
    let flags = [
        (
            "--partners",
            !args.partners.is_empty(),
            news || matches!(kind, NewKindArg::Partnership),
        ),
        ("--partnership", args.partnership.is_some(), news),
        ("--date", args.date.is_some(), news),
        ("--contacts", !args.contacts.is_empty(), news),
        (
            "--summary",
            args.summary.is_some(),
            !matches!(kind, NewKindArg::Institution),
        ),
    ];
    let (flag, _, _) = flags
        .iter()
        .find(|(_, given, applies)| *given && !applies)?;
    let kind = match kind {
        NewKindArg::News => "news",
        NewKindArg::Institution => "institution",
        NewKindArg::Partnership => "partnership",
        NewKindArg::Page => "page",
    };
    Some(format!(
        "`{flag}` does not apply to `new {kind}`\n  = help: see `partnerpress new --help` for what each kind takes"
    ))
}

fn new_file(args: &NewArgs) -> ExitCode {
    if let Some(e) = inapplicable_flag(args) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let request = partnerpress::scaffold::NewFile {
        kind: match args.kind {
            NewKindArg::News => NewKind::News,
            NewKindArg::Institution => NewKind::Institution,
            NewKindArg::Partnership => NewKind::Partnership,
            NewKindArg::Page => NewKind::Page,
        },
        title: args.title.clone(),
        partners: args.partners.clone(),
        partnership: args.partnership.clone(),
        date: args
            .date
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
        id: args.id.clone(),
        lang: args.lang.clone(),
        contacts: args.contacts.clone(),
        summary: args.summary.clone(),
    };
    match partnerpress::create(&args.root, &request) {
        Ok(path) => {
            println!("created {}", path.display());
            if args.lang.is_none() && matches!(args.kind, NewKindArg::News | NewKindArg::Page) {
                println!(
                    "it is a draft: `serve --drafts` shows it; remove `draft: true` to publish it"
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Says why a build pauses: another build (`who`, e.g. `process 4711`) writes the output.
fn waiting(output: &std::path::Path, who: &str) {
    let who = if who.is_empty() {
        String::new()
    } else {
        format!(" ({who})")
    };
    eprintln!(
        "waiting for another build of `{}` to finish{who}",
        output.display()
    );
}

fn io_result(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Reports `serve` and `build --watch` in the terminal.
struct Terminal {
    verbose: bool,
    timings: bool,
}

impl serve::Reporter for Terminal {
    fn listening(&self, url: &str) {
        println!("serving at {url} (Ctrl+C to stop)");
    }

    fn warning(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    fn waiting(&self, output: &std::path::Path, who: &str) {
        waiting(output, who);
    }

    fn built(&self, outcome: &serve::Outcome) {
        let report = &outcome.report;
        print_diagnostics(report, self.verbose);
        let files: Vec<String> = outcome
            .changed
            .iter()
            .filter(|p| p.extension().is_some())
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let trigger = match files.len() {
            0 if outcome.changed.is_empty() => String::new(),
            0 => " after a change".to_owned(),
            1..=3 => format!(" after a change to {}", files.join(", ")),
            n => format!(" after changes to {n} files"),
        };
        if report.has_errors() {
            eprintln!(
                "{}: the last good site stays{trigger}",
                diagnostics::summary(&report.diagnostics)
            );
        } else {
            println!(
                "built in {} ms{trigger}: {} pages rendered, {} unchanged",
                report.elapsed.as_millis(),
                report.pages_rendered,
                report.pages_reused
            );
            print_hidden(report);
            print_next_embargo(report);
            if self.timings {
                print!("{}", report.timings.table());
                print_remade(report);
            }
        }
    }
}

/// What a rebuild made again and why (`--timings`): each file a patch made, with the
/// change it shows, or why the whole site was rendered.
fn print_remade(report: &BuildReport) {
    if let Some(why) = &report.full_because {
        println!("  every page considered: {why}");
    }
    const SHOWN: usize = 30;
    for line in report.remade.iter().take(SHOWN) {
        println!("  remade {line}");
    }
    if report.remade.len() > SHOWN {
        println!("  … and {} more", report.remade.len() - SHOWN);
    }
}

/// Warnings shown in full without `-v`; the rest are counted, with how to see them.
const WARNINGS_SHOWN: usize = 5;

/// Prints every error, and the warnings: all of them with `verbose` or when there are
/// few, else the first few and a line that says how many more and how to see them.
fn print_diagnostics(report: &BuildReport, verbose: bool) {
    let colour = std::io::stderr().is_terminal();
    let all_warnings = verbose || report.diagnostics.len() <= 10;
    let mut warnings = 0;
    for d in &report.diagnostics {
        if !d.is_error() {
            warnings += 1;
            if !all_warnings && warnings > WARNINGS_SHOWN {
                continue;
            }
        }
        eprintln!("{}", d.render_with(colour));
    }
    if !all_warnings && warnings > WARNINGS_SHOWN {
        let more = warnings - WARNINGS_SHOWN;
        let s = if more == 1 { "" } else { "s" };
        eprintln!("… and {more} more warning{s}: run with `-v` to see every warning\n");
    }
}

/// Prints diagnostics and the summary; returns the exit code.
fn finish(report: &BuildReport, verbose: bool, mode: Mode) -> ExitCode {
    let errors = report.has_errors();
    print_diagnostics(report, verbose);
    let (verb, failed) = match mode {
        Mode::Check => ("checked", "check failed"),
        Mode::Build | Mode::Serve => ("built", "build failed; the previous output is unchanged"),
    };
    if errors {
        eprintln!("{}: {failed}", diagnostics::summary(&report.diagnostics));
        // A file that could not be read is an I/O error (exit 2), as documented, even
        // though it is listed with the content's problems.
        let io = report
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.code == Code::Io);
        return ExitCode::from(if io { 2 } else { 1 });
    }
    let counts: Vec<String> = report
        .counts
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    println!(
        "{verb} {} files in {} ms: {}",
        report.files,
        report.elapsed.as_millis(),
        counts.join(", ")
    );
    print_hidden(report);
    if !report.diagnostics.is_empty() {
        println!("{}", diagnostics::summary(&report.diagnostics));
    }
    print_next_embargo(report);
    ExitCode::SUCCESS
}

/// What the run left out, so a missing draft is not a mystery.
fn print_hidden(report: &BuildReport) {
    if let Some(note) = report.hidden.note(&report.language) {
        println!("{note}");
    }
}

/// The earliest embargo still to lift, so the user can schedule the next build.
fn print_next_embargo(report: &BuildReport) {
    if let Some((id, at)) = &report.next_embargo {
        println!("next embargo: {id} at {at}");
    }
}

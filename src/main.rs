//! The `partnerpress` command: parses arguments, runs the library, prints the outcome
//! and picks the exit code (0 success, 1 content errors, 2 usage or I/O errors).

use clap::{Args, Parser, Subcommand};
use partnerpress::scaffold::NewKind;
use partnerpress::{BuildOptions, BuildReport, diagnostics};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "partnerpress",
    version,
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
    Build(SiteArgs),
    /// Parse, validate and render in memory; write nothing.
    Check(SiteArgs),
    /// Create a content file with valid front matter, e.g. `new news "Title" --partners a,b`.
    New(NewArgs),
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
    /// Release date (news only; default today).
    #[arg(long)]
    date: Option<jiff::civil::Date>,
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
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Build(args) | Command::Check(args) = &cli.command {
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
        Command::Build(args) => match partnerpress::build(&args.options()) {
            Ok(report) => finish(&report, cli.verbose, "built"),
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => finish(
            &partnerpress::check(&args.options()),
            cli.verbose,
            "checked",
        ),
        Command::New(args) => new_file(args),
    }
}

fn new_file(args: &NewArgs) -> ExitCode {
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
    };
    match partnerpress::create(&args.root, &request) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Prints diagnostics and the summary; returns the exit code.
fn finish(report: &BuildReport, verbose: bool, verb: &str) -> ExitCode {
    let colour = std::io::stderr().is_terminal();
    let errors = report.has_errors();
    for d in &report.diagnostics {
        if d.is_error() || verbose || report.diagnostics.len() <= 10 {
            eprintln!("{}", d.render_with(colour));
        }
    }
    if errors {
        let outcome = if verb == "built" {
            "build failed; the previous output is unchanged"
        } else {
            "check failed"
        };
        eprintln!("{}: {outcome}", diagnostics::summary(&report.diagnostics));
        return ExitCode::from(1);
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
    if !report.diagnostics.is_empty() {
        println!("{}", diagnostics::summary(&report.diagnostics));
    }
    ExitCode::SUCCESS
}

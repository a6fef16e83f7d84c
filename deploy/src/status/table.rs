//! The tables of `keel status`: aligned columns, figures right-aligned, and
//! bold coloured headers when stdout is a terminal (plain text otherwise).

use comfy_table::{presets::UTF8_HORIZONTAL_ONLY, Attribute, Cell, CellAlignment, Color, Table};

/// A table with `headers`; the columns from `figures_from` on hold figures
/// and are right-aligned.
pub fn new(headers: &[&str], figures_from: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_HORIZONTAL_ONLY);
    table.set_header(headers.iter().map(|h| Cell::new(h).add_attribute(Attribute::Bold).fg(Color::Cyan)));
    for column in table.column_iter_mut().skip(figures_from) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    table
}

/// `title` (bold on a terminal) above `table`, indented by two spaces.
pub fn section(title: &str, table: &Table) -> String {
    let title = if table.should_style() { format!("\x1b[1m{title}\x1b[0m") } else { title.to_string() };
    let body: Vec<String> = table.lines().map(|line| format!("  {line}")).collect();
    format!("\n{title}\n{}\n", body.join("\n"))
}

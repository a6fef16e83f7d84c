//! The tables of `keel status`: aligned columns, figures right-aligned, and
//! bold coloured headers when stdout is a terminal (plain text otherwise).

use comfy_table::{presets::UTF8_HORIZONTAL_ONLY, Attribute, Cell, CellAlignment, Color, Table, TableComponent};

/// A table with `headers`; the columns from `figures_from` on hold figures
/// and are right-aligned.
pub fn new(headers: &[&str], figures_from: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_HORIZONTAL_ONLY).remove_style(TableComponent::HorizontalLines).remove_style(TableComponent::MiddleIntersections);
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

#[cfg(test)]
mod tests {
    #[test]
    fn aligns_figures_right_without_colour_off_a_terminal() {
        let mut table = super::new(&["name", "amount"], 1);
        table.add_row(vec!["a", "1"]).add_row(vec!["bb", "1,000"]);
        let text = super::section("Title", &table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "Title");
        let one = lines.iter().find(|l| l.contains(" a ")).unwrap();
        let thousand = lines.iter().find(|l| l.contains(" bb ")).unwrap();
        assert_eq!(one.find("1 "), thousand.find("0 "), "{text}");
        assert_eq!(lines.len(), 8, "a rule above, below the header and below the rows only:\n{text}");
        assert!(!text.contains('\x1b'), "{text}");
    }
}

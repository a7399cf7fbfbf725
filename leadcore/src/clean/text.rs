//! Character folding shared by the cleaners: full-width → half-width and whitespace tidying.

/// Folds one full-width character to its half-width form.
///
/// U+FF01..=U+FF5E (full-width `！`…`～`, including digits `０`-`９`, `＋`, `＠`, `（`, `）`) map to
/// ASCII U+0021..=U+007E; the ideographic space U+3000 maps to a plain space. Every other
/// character is returned unchanged.
pub(crate) fn fold_char(c: char) -> char {
    let code = u32::from(c);
    if (0xFF01..=0xFF5E).contains(&code) {
        char::from_u32(code - 0xFEE0).unwrap_or(c)
    } else if code == 0x3000 {
        ' '
    } else {
        c
    }
}

/// Folds every full-width character of `s` (see [`fold_char`]).
pub(crate) fn fold_width(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Collapses whitespace runs to one ASCII space, trims both ends, and drops the space entirely
/// where a neighbour is not ASCII (CJK text has no word spaces).
///
/// `"Acme   Trading"` becomes `"Acme Trading"`; `"阿里 巴巴 (中国)"` becomes `"阿里巴巴(中国)"`.
pub(crate) fn tidy_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev = out.chars().next_back();
            if prev.is_some_and(|p| p.is_ascii()) && c.is_ascii() {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width() {
        assert_eq!(fold_width("＋８６　１３８（Ａ）＠"), "+86 138(A)@");
        assert_eq!(fold_width("中文。"), "中文。");
    }

    #[test]
    fn tidies_spaces() {
        assert_eq!(tidy_spaces("  Acme \t  Trading  "), "Acme Trading");
        assert_eq!(tidy_spaces("阿里 巴巴 ( 中国 ) co"), "阿里巴巴(中国) co");
        assert_eq!(tidy_spaces("acme (beijing) co"), "acme (beijing) co");
        assert_eq!(tidy_spaces("   "), "");
    }
}

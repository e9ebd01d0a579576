import CNCurses
import Glibc
import Testing

@Suite("ncursesw links")
struct CNCursesLinkTests {
    @Test("the wide-character library is linked and reports its version")
    func versionIsReported() {
        let version = String(cString: curses_version())
        #expect(version.hasPrefix("ncurses"))
    }

    @Test("wcwidth measures wide and zero-width scalars as ncurses does")
    func widths() throws {
        // glibc's wcwidth answers -1 for everything non-ASCII in the "C" locale. The process's
        // locale is not this test's to change (other tests measure text meanwhile): this thread's is.
        let utf8 = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil))
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        #expect(wcwidth(0x61) == 1)  // a
        #expect(wcwidth(0x6771) == 2)  // 東
        #expect(wcwidth(0x0301) == 0)  // combining acute accent
    }

    @Test("the shim exports attribute accessors that Swift cannot import as macros")
    func attributes() {
        #expect(parley_attr_bold() != 0)
        #expect(parley_attr_bold() != parley_attr_reverse())
    }
}

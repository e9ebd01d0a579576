import ParleyCore
import Testing

@Suite("Trimming what a person or a server typed")
struct TrimmedTests {
    @Test("spaces, tabs and line breaks go from both ends; those inside stay")
    func trimsBothEnds() {
        #expect(" \t Bearer sk-abc 123\r\n".trimmed == "Bearer sk-abc 123")
        #expect("text/html".trimmed == "text/html")
        #expect("  y\n"[...].trimmed == "y")
    }

    @Test("nothing but white space trims to nothing")
    func allWhiteSpace() {
        #expect(" \t\n ".trimmed == "")
        #expect("".trimmed == "")
    }

    @Test("non-ASCII white space counts too, and other characters are kept whole")
    func unicode() {
        #expect("\u{00A0}héllo wörld\u{3000}".trimmed == "héllo wörld")
        #expect(" 👩‍💻 ".trimmed == "👩‍💻")
    }
}

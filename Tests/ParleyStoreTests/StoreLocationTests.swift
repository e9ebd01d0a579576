import ParleyStore
import Testing

@Suite("Where the database lives")
struct StoreLocationTests {
    @Test("PARLEY_HOME wins over every other folder")
    func parleyHomeWins() throws {
        let path = try StoreLocation.databasePath(environment: [
            "PARLEY_HOME": "/srv/parley", "XDG_DATA_HOME": "/data", "HOME": "/home/ann",
        ])
        #expect(path == "/srv/parley/parley.sqlite")
    }

    @Test("XDG_DATA_HOME is used when PARLEY_HOME is not set or empty")
    func xdgDataHome() throws {
        #expect(
            try StoreLocation.databasePath(environment: ["XDG_DATA_HOME": "/data/", "HOME": "/home/ann"])
                == "/data/parley/parley.sqlite")
        #expect(
            try StoreLocation.databasePath(environment: ["PARLEY_HOME": "", "XDG_DATA_HOME": "/data"])
                == "/data/parley/parley.sqlite")
    }

    @Test("Without either, the data goes under ~/.local/share; a relative XDG_DATA_HOME is ignored")
    func homeFallback() throws {
        #expect(
            try StoreLocation.databasePath(environment: ["HOME": "/home/ann"])
                == "/home/ann/.local/share/parley/parley.sqlite")
        #expect(
            try StoreLocation.databasePath(environment: ["XDG_DATA_HOME": "data", "HOME": "/home/ann"])
                == "/home/ann/.local/share/parley/parley.sqlite")
    }

    @Test("With no folder to go by at all, the user is told which variables to set")
    func nothingSet() {
        #expect(throws: StoreError.noDataFolder) { try StoreLocation.databasePath(environment: [:]) }
        #expect(StoreError.noDataFolder.description.contains("PARLEY_HOME"))
    }
}

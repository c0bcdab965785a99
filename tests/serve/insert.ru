INSERT DATA { <urn:kg-test:s> <urn:kg-test:p> "written by a client" }

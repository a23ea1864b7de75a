package dev.leakprone.resource;

import com.google.common.collect.ImmutableList;

/**
 * What methods of popular libraries do with the resources passed to them, as data. Each entry is
 * {@code type#method|method} (any overload; {@code <init>} for constructors), matched on the
 * declaring type or a subtype, and each has a test against the library's real jar in {@code
 * UnclosedResourceTest} (the {@code libraryModels…} tests). Where a method closes its argument only
 * under a setting, the entry states the setting it assumes (the library's default).
 */
final class LibraryModels {
  private LibraryModels() {}

  /**
   * Calls that close the resources passed to them, on every path, normal and exceptional: the
   * caller's obligation ends with the call.
   */
  static final ImmutableList<String> CLOSE_ARGUMENTS =
      ImmutableList.of(
          // Jackson: JsonParser.Feature.AUTO_CLOSE_SOURCE and
          // JsonGenerator.Feature.AUTO_CLOSE_TARGET
          // are on by default, so reading from a stream or reader, or writing to one, closes it.
          "com.fasterxml.jackson.databind.ObjectMapper#readValue|readTree|writeValue",
          "com.fasterxml.jackson.databind.ObjectReader#readValue|readTree",
          "com.fasterxml.jackson.databind.ObjectWriter#writeValue",
          // The JDK's XML parsers (Xerces) close the input stream or reader of the source when the
          // parse ends, also when it fails.
          "javax.xml.parsers.DocumentBuilder#parse",
          "javax.xml.parsers.SAXParser#parse",
          "org.xml.sax.XMLReader#parse",
          // Apache POI: "the stream is always closed" (POIFSFileSystem(InputStream), and the
          // HSSFWorkbook constructor that reads through it).
          "org.apache.poi.poifs.filesystem.POIFSFileSystem#<init>",
          "org.apache.poi.hssf.usermodel.HSSFWorkbook#<init>");

  /**
   * Calls whose result owns the resources passed to them: closing the result closes them (a parser
   * over a stream, a document over its source). Results that are {@code AutoCloseable} are treated
   * so by default; these entries say it also where the result's declared type is not.
   */
  static final ImmutableList<String> WRAP_ARGUMENTS =
      ImmutableList.of(
          "com.fasterxml.jackson.core.JsonFactory#createParser|createGenerator|createJsonParser|createJsonGenerator",
          "com.fasterxml.jackson.databind.ObjectMapper#createParser|createGenerator",
          "com.fasterxml.jackson.databind.ObjectReader#readValues|createParser",
          "org.apache.pdfbox.Loader#loadPDF");
}

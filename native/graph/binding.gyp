# keyspot graph addon (see README.md beside this file).
# Variables, passed by packages/native-provision/provision.cjs (buildGraphAddon) or by hand:
#   tf_dir              folder holding include/tensorflow/c/c_api.h and lib/libtensorflow*.so*
#                       default: the project's node_modules/@tensorflow/tfjs-node/deps
#   tf_runtime_lib_dir  one more run-time library folder (the per-version cache of the
#                       libraries, so a cached build also loads from another project)
{
  'variables': {
    'tf_dir%': '<(module_root_dir)/../../node_modules/@tensorflow/tfjs-node/deps',
    'tf_runtime_lib_dir%': '<(tf_dir)/lib',
  },
  'targets': [{
    'target_name': 'keyspot_graph',
    'sources': ['graph_addon.cc'],
    'include_dirs': [
      "<!@(node -p \"require('node-addon-api').include\")",
      '<(tf_dir)/include',
    ],
    'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
    'cflags_cc!': ['-fno-exceptions', '-fno-rtti'],
    'cflags_cc': ['-fexceptions', '-std=c++17', '-O2'],
    'conditions': [
      ['OS=="linux"', {
        'library_dirs': ['<(tf_dir)/lib'],
        'libraries': [
          # The libraries are found at run time from the folder they were built against, or
          # from tfjs-node's deps/lib of the project that holds this folder.
          '-Wl,-rpath,<(tf_dir)/lib',
          '-Wl,-rpath,<(tf_runtime_lib_dir)',
          "-Wl,-rpath,'$$ORIGIN/../../../../node_modules/@tensorflow/tfjs-node/deps/lib'",
          '-ltensorflow',
          '-ltensorflow_framework',
        ],
      }],
      ['OS=="mac"', {
        'xcode_settings': {
          'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
          'OTHER_LDFLAGS': ['-Wl,-rpath,<(tf_dir)/lib'],
        },
        'library_dirs': ['<(tf_dir)/lib'],
        'libraries': ['-ltensorflow', '-ltensorflow_framework'],
      }],
    ],
  }],
}
